package io.mps3.internal.causal;

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
import org.jspecify.annotations.Nullable;

/**
 * The log entries of one manifest as a reader fetches them: each at most once (entries never
 * change; the 4096 used last are cached), an unusable one reported once, and those no reader needs
 * deleted when autoclean is on. Thread-safe.
 */
final class CausalEntries {

  private static final int CACHE = 4096;

  /** How many deletes may be in flight at once. */
  private static final int MAX_CLEANING = 100;

  private final ObjectStore store;
  private final String bucket;
  private final boolean autoclean;
  private final SkipLog warnings;
  private final Set<String> cleaning = ConcurrentHashMap.newKeySet();

  /** An entry, or the reason it was skipped (reported once). */
  private final Map<String, Object> entries =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
              return size() > CACHE;
            }
          });

  CausalEntries(ObjectStore store, String bucket, boolean autoclean, SkipLog warnings) {
    this.store = store;
    this.bucket = bucket;
    this.autoclean = autoclean;
    this.warnings = warnings;
  }

  /** An entry, fetched at most once; null when unreadable (reported once) or gone. */
  CompletableFuture<@Nullable CausalEntry> get(String objectKey) {
    Object cached = entries.get(objectKey);
    if (cached instanceof CausalEntry causalEntry) {
      return CompletableFuture.completedFuture(causalEntry);
    }
    if (cached != null) {
      return CompletableFuture.completedFuture(null);
    }
    return store
        .get(bucket, objectKey)
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return null; // deleted since it was listed (autoclean of another client)
              }
              Parsed<CausalEntry> parsed = CausalEntry.parse(objectKey, found.object().body());
              if (parsed instanceof Parsed.Invalid<CausalEntry> invalid) {
                skippedOnce(objectKey, "not a log entry: " + invalid.reason());
                return null;
              }
              CausalEntry entry = ((Parsed.Valid<CausalEntry>) parsed).value();
              entries.put(objectKey, entry);
              return entry;
            });
  }

  /** An entry this client wrote: no need to fetch it. */
  void remember(String objectKey, CausalEntry entry) {
    entries.put(objectKey, entry);
  }

  /** Reports an unusable object once, and never fetches it again while it is cached. */
  void skippedOnce(String objectKey, String reason) {
    entries.putIfAbsent(objectKey, reason);
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
              entries.remove(objectKey);
            });
  }
}
