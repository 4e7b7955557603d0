package io.mps3.internal.causal;

import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalLayout.EntryKey;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Whether an entry a writer tried to write is in the log, as readers see it (PROTOCOL.md A4): what
 * a client needs before it sends a write again whose earlier entry PUT failed, or was cut short by
 * a crash, so that no write is committed twice.
 *
 * <p>An entry counts only when readers use it: listed, with its key time less than the window (5 s)
 * from its {@code LastModified}. That rule also closes the window of a PUT still in flight: one
 * that lands later than {@link #settledAt} is 5 s or more behind its own key time, and every reader
 * drops it. So an entry absent at {@link #settledAt} (on the store's clock) never counts. The one
 * residue: a store whose {@code LastModified} is the time a request arrived, not when the object
 * became visible, could still show an entry that arrived in time but became listable only after the
 * check; a margin of {@link #MARGIN} past the window covers slow stores, not arbitrarily slow ones.
 *
 * <p>One LIST of the key as a prefix (listings carry {@code LastModified} in milliseconds where the
 * store has them; a GET's header has whole seconds). Thread-safe.
 */
public final class CausalEntryCheck {

  /** How long past the window an absent entry is waited for before it counts as never written. */
  public static final Duration MARGIN = Duration.ofSeconds(1);

  /** What the log holds of an entry key. */
  public enum Found {
    /** Listed, and within the window of its key time: readers use it, the write is committed. */
    VISIBLE,
    /** Listed, but 5 s or more from its key time: every reader ignores it. */
    SKEWED,
    /** Not listed. */
    ABSENT
  }

  private final ObjectStore store;
  private final String bucket;
  private final CausalLayout layout;
  private final Duration window;

  CausalEntryCheck(ObjectStore store, String bucket, CausalLayout layout, Duration window) {
    this.store = store;
    this.bucket = bucket;
    this.layout = layout;
    this.window = window;
  }

  /** Looks the entry up. */
  public CompletableFuture<Found> find(String entryKey) {
    EntryKey key = parse(entryKey);
    return store
        .list(bucket, ListRequest.prefix(entryKey).withMaxKeys(10))
        .thenApply(
            page -> {
              for (ObjectMetadata object : page.objects()) {
                if (object.key().equals(entryKey)) {
                  long skew = Math.abs(key.time() - object.lastModified().toEpochMilli());
                  return skew < window.toMillis() ? Found.VISIBLE : Found.SKEWED;
                }
              }
              return Found.ABSENT;
            });
  }

  /**
   * The store time (epoch millis) after which an absent entry can never count: its key time plus
   * the window plus {@link #MARGIN}.
   */
  public long settledAt(String entryKey) {
    return parse(entryKey).time() + window.toMillis() + MARGIN.toMillis();
  }

  private EntryKey parse(String entryKey) {
    // The writer's own key (from its journal): an invalid one is a caller's bug, not bucket data.
    Parsed<EntryKey> key = layout.parseEntryKey(entryKey);
    if (key instanceof Parsed.Invalid<EntryKey> invalid) {
      throw new IllegalArgumentException(
          "not an entry key of manifest "
              + layout.manifestKey()
              + ": "
              + entryKey
              + " ("
              + invalid.reason()
              + ")");
    }
    return ((Parsed.Valid<EntryKey>) key).value();
  }
}
