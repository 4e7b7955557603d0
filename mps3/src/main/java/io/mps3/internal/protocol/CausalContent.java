package io.mps3.internal.protocol;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The content objects of the causal protocol (PROTOCOL.md A1): a value of DB key {@code K} is
 * written once to {@code K@<uuid>}, or, in versioned mode, to {@code K} itself and read back with
 * its version id. Content never changes, so it may be cached forever. Thread-safe.
 */
public final class CausalContent {

  private final ObjectStore store;
  private final String bucket;
  private final boolean versioned;
  private final CausalLog.Warnings warnings;

  /** The content objects of a bucket. */
  public CausalContent(
      ObjectStore store, String bucket, boolean versioned, CausalLog.Warnings warnings) {
    this.store = store;
    this.bucket = bucket;
    this.versioned = versioned;
    this.warnings = warnings;
  }

  /** Writes a value's bytes as a new content version and returns the version. */
  public CompletableFuture<String> write(String dbKey, byte[] json) {
    if (versioned) {
      return store
          .put(bucket, dbKey, json, PutOptions.unconditional().withContentType(PutOptions.JSON))
          .thenApply(
              outcome -> {
                String version = ((PutOutcome.Written) outcome).versionId();
                if (version == null) {
                  throw new ObjectStoreException(
                      ObjectStoreException.Kind.UNSUPPORTED,
                      "versioned mode needs bucket versioning, but "
                          + store
                          + " returned no version id for a write to bucket "
                          + bucket,
                      null);
                }
                return version;
              });
    }
    String version = UUID.randomUUID().toString();
    return store
        .put(
            bucket,
            CausalLayout.contentKey(dbKey, version),
            json,
            PutOptions.unconditional().withContentType(PutOptions.JSON))
        .thenApply(outcome -> version);
  }

  /** Reads one content version; null when it is gone (deleted by someone). */
  public CompletableFuture<byte @Nullable []> read(String dbKey, String version) {
    CompletableFuture<GetResult> read =
        versioned
            ? store.get(bucket, dbKey, GetOptions.version(version))
            : store.get(bucket, CausalLayout.contentKey(dbKey, version));
    return read.thenApply(
        result -> {
          if (result instanceof GetResult.Found found) {
            return found.object().body();
          }
          warnings.skipped(
              versioned ? dbKey + "?versionId=" + version : CausalLayout.contentKey(dbKey, version),
              "content referenced by the manifest is missing");
          return null;
        });
  }
}
