package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.Transaction;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.content.Values;
import io.mps3.internal.manifest.Errors;
import io.mps3.spi.ObjectKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * One run of a transaction body: reads come from the manifest's state and record the version they
 * saw; writes are buffered. Reads stay consistent: when the state moved on since the first read and
 * a key read before has changed, the run stops at once ({@link Restart}) instead of letting the
 * body see a mix of two states.
 */
final class StrictTransaction implements Transaction {

  /** Thrown into the body when its view is no longer consistent; the run starts again. */
  static final class Restart extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Restart() {
      super("the state changed under the transaction; it runs again", null, false, false);
    }
  }

  private final StrictManifest sync;
  private final ObjectMapper mapper;
  private final long startTip;
  final Map<String, Long> reads = new LinkedHashMap<>();
  final Map<String, @Nullable JsonNode> writes = new LinkedHashMap<>();

  StrictTransaction(StrictManifest sync, ObjectMapper mapper) {
    this.sync = sync;
    this.mapper = mapper;
    synchronized (sync.lock) {
      this.startTip = sync.state().tip();
    }
  }

  @Override
  public Optional<JsonNode> get(String key) {
    ObjectKeys.requireValidKey(key);
    if (writes.containsKey(key)) {
      return Values.out(Optional.ofNullable(writes.get(key)));
    }
    String url = CausalLayout.fileUrl(sync.bucket, key);
    StrictSlot slot;
    synchronized (sync.lock) {
      StrictState state = sync.state();
      if (state.tip() != startTip) {
        reads.forEach(
            (k, version) -> {
              if (state.version(CausalLayout.fileUrl(sync.bucket, k)) != version) {
                throw new Restart();
              }
            });
      }
      slot = state.slot(url);
    }
    reads.putIfAbsent(key, slot == null ? 0 : slot.seq());
    if (slot == null) {
      return Optional.empty();
    }
    try {
      return Values.out(Optional.ofNullable(sync.valueOf(url, slot).join())); // the body's copy
    } catch (CompletionException e) {
      throw Errors.translate(e);
    }
  }

  @Override
  public <T> Optional<T> get(String key, Class<T> type) {
    return Values.as(get(key), type, key, mapper);
  }

  @Override
  public void put(String key, @Nullable Object value) {
    ObjectKeys.requireValidKey(key);
    writes.put(key, Values.in(key, value, mapper)); // a copy: the body may change its value after
  }

  @Override
  public void delete(String key) {
    ObjectKeys.requireValidKey(key);
    writes.put(key, null);
  }
}
