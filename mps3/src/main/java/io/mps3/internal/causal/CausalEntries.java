package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.bucket.SkipLog;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The log entries of one manifest as a reader fetches them: each at most once (entries never
 * change), an unusable one reported once, and those no reader needs deleted when autoclean is on.
 * Thread-safe.
 *
 * <p>What is kept: every entry carries the writer's whole state, but a reader needs the whole body
 * of one entry only, the base, and of all others their {@code update} alone (PROTOCOL.md A4). So
 * the 4096 entries used last are cached as their update, and one entry whole: the base read or the
 * entry written last, which the next resolution most likely takes as its base again. Keeping every
 * body whole cost about 400 bytes per key per entry read (234 MB after opening a 10,000-key
 * manifest whose writer had written 51 entries in its last 5 s).
 */
final class CausalEntries {

  private static final int CACHE = 4096;

  /** How many deletes may be in flight at once. */
  private static final int MAX_CLEANING = 100;

  /** An entry kept whole, under its key. */
  private record Whole(String key, CausalEntry entry) {}

  private final ObjectStore store;
  private final String bucket;
  private final boolean autoclean;
  private final SkipLog warnings;
  private final Set<String> cleaning = ConcurrentHashMap.newKeySet();

  /** An entry's update, or the reason it was skipped (reported once). */
  private final Map<String, Object> updates =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
              return size() > CACHE;
            }
          });

  private volatile @Nullable Whole whole;

  /** Entries being read whole: a second caller joins the GET under way instead of sending one. */
  private final Map<String, CompletableFuture<@Nullable CausalEntry>> reading =
      new ConcurrentHashMap<>();

  CausalEntries(ObjectStore store, String bucket, boolean autoclean, SkipLog warnings) {
    this.store = store;
    this.bucket = bucket;
    this.autoclean = autoclean;
    this.warnings = warnings;
  }

  /**
   * An entry's whole body, for a base: kept until another entry is read whole or written; null when
   * unreadable (reported once) or gone.
   */
  // Ignored future: the callback hands the GET's outcome, whichever it is, to `read`.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<@Nullable CausalEntry> whole(String objectKey) {
    Whole kept = whole;
    if (kept != null && kept.key().equals(objectKey)) {
      return CompletableFuture.completedFuture(kept.entry());
    }
    if (updates.get(objectKey) instanceof String) {
      return CompletableFuture.completedFuture(null);
    }
    // Registered before the GET is sent: a store may answer (and run what waits on it) at once.
    CompletableFuture<@Nullable CausalEntry> read = new CompletableFuture<>();
    CompletableFuture<@Nullable CausalEntry> under = reading.putIfAbsent(objectKey, read);
    if (under != null) {
      return under;
    }
    CompletableFuture<@Nullable CausalEntry> sent;
    try {
      sent = fetch(objectKey);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e); // a store that throws instead of failing
    }
    sent.whenComplete(
        (entry, e) -> {
          if (entry != null) {
            whole = new Whole(objectKey, entry);
          }
          reading.remove(objectKey, read);
          if (e != null) {
            read.completeExceptionally(e);
          } else {
            read.complete(entry);
          }
        });
    return read;
  }

  /**
   * Starts reading an entry whole that a resolution will likely take as its base (the change marker
   * names it), so that its GET runs beside the LIST instead of after it. Nothing is sent when it is
   * known or under way already.
   */
  // Ignored future: the read is cached and joined by the resolution that needs it; a failure is
  // that resolution's to see, as its own GET's would be.
  @SuppressWarnings("FutureReturnValueIgnored")
  void prefetch(String objectKey) {
    if (!updates.containsKey(objectKey)) {
      whole(objectKey);
    }
  }

  /** An entry's update, fetched at most once; null when unreadable (reported once) or gone. */
  CompletableFuture<@Nullable ObjectNode> update(String objectKey) {
    Object cached = updates.get(objectKey);
    if (cached instanceof ObjectNode update) {
      return CompletableFuture.completedFuture(update);
    }
    if (cached != null) {
      return CompletableFuture.completedFuture(null);
    }
    Whole kept = whole;
    if (kept != null && kept.key().equals(objectKey)) {
      return CompletableFuture.completedFuture(kept.entry().update());
    }
    CompletableFuture<@Nullable CausalEntry> under = reading.get(objectKey);
    if (under != null) {
      return under.thenApply(entry -> entry == null ? null : entry.update());
    }
    // Only the update is built and kept: the rest of the body is checked, not kept.
    return fetchParsed(objectKey, CausalEntry::parseUpdate)
        .thenApply(
            update -> {
              if (update != null) {
                updates.put(objectKey, update);
              }
              return update;
            });
  }

  private CompletableFuture<@Nullable CausalEntry> fetch(String objectKey) {
    return fetchParsed(objectKey, CausalEntry::parse)
        .thenApply(
            entry -> {
              if (entry != null) {
                updates.put(objectKey, entry.update());
              }
              return entry;
            });
  }

  /**
   * GETs an entry and parses it; null when it was deleted since it was listed (autoclean of another
   * client) or is not an entry (skipped once, with the reason).
   */
  private <T> CompletableFuture<@Nullable T> fetchParsed(
      String objectKey, BiFunction<String, byte[], Parsed<T>> parser) {
    return store
        .get(bucket, objectKey)
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return null;
              }
              Parsed<T> parsed = parser.apply(objectKey, found.object().body());
              if (parsed instanceof Parsed.Invalid<T> invalid) {
                skippedOnce(objectKey, "not a log entry: " + invalid.reason());
                return null;
              }
              return ((Parsed.Valid<T>) parsed).value();
            });
  }

  /**
   * The update of an entry this client read or wrote, without reading it: null when it was not
   * read, was forgotten, or was found unreadable. An unreadable entry counts as unknown: the reason
   * is kept from one look (a body refused whole may be read as an update by others, an entry listed
   * as skewed may land again valid), so a window claim is never made over it.
   */
  @Nullable ObjectNode knownUpdate(String objectKey) {
    if (updates.get(objectKey) instanceof ObjectNode update) {
      return update;
    }
    Whole kept = whole;
    return kept != null && kept.key().equals(objectKey) ? kept.entry().update() : null;
  }

  /** Whether an entry is kept whole or being read whole: a base that costs no wait of its own. */
  boolean wholeAtHand(String objectKey) {
    Whole kept = whole;
    return (kept != null && kept.key().equals(objectKey)) || reading.containsKey(objectKey);
  }

  /** An entry this client wrote: no need to fetch it, and the likely next base. */
  void remember(String objectKey, CausalEntry entry) {
    updates.put(objectKey, entry.update());
    whole = new Whole(objectKey, entry);
  }

  /** Reports an unusable object once, and never fetches it again while it is cached. */
  void skippedOnce(String objectKey, String reason) {
    updates.putIfAbsent(objectKey, reason);
    warnings.skipped(objectKey, reason);
  }

  /**
   * Deletes an entry no reader needs (autoclean): only keys that parse as this manifest's entries
   * reach here, at most {@value #MAX_CLEANING} at a time, each once. Failures are left for a later
   * read.
   */
  // Ignored future: cleaning is best effort, and the callback handles both outcomes.
  @SuppressWarnings("FutureReturnValueIgnored")
  void clean(String objectKey) {
    if (!autoclean || cleaning.size() >= MAX_CLEANING || !cleaning.add(objectKey)) {
      return;
    }
    store
        .delete(bucket, objectKey)
        .whenComplete(
            (ok, e) -> {
              cleaning.remove(objectKey);
              updates.remove(objectKey);
            });
  }
}
