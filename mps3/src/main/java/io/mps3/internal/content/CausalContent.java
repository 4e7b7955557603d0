package io.mps3.internal.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.bucket.SkipLog;
import io.mps3.internal.bucket.SkipWarnings;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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
  private final SkipLog warnings;
  private final Executor reads;

  /**
   * The content objects of a bucket.
   *
   * @param reads where {@link #readJson} starts a read: its callers may hold a manifest's lock, and
   *     a store may run a call on the thread that makes it (design 0005)
   */
  public CausalContent(
      ObjectStore store, String bucket, boolean versioned, SkipWarnings warnings, Executor reads) {
    this.store = store;
    this.bucket = bucket;
    this.versioned = versioned;
    this.warnings = new SkipLog(warnings);
    this.reads = reads;
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

  /**
   * Reads one content version; null when it is gone (deleted by someone) or its version is not a
   * valid one (both reported once). A failure of the store names the object.
   */
  public CompletableFuture<byte @Nullable []> read(String dbKey, String version) {
    String key =
        versioned ? dbKey + "?versionId=" + version : CausalLayout.contentKey(dbKey, version);
    String problem = versionProblem(version);
    if (problem != null) {
      warnings.skipped(key, "the manifest refers to an invalid version: " + problem);
      return CompletableFuture.completedFuture(null);
    }
    if (!versioned && !isObjectKey(CausalLayout.contentKey(dbKey, version))) {
      return CompletableFuture.failedFuture(tooLong(dbKey, version));
    }
    CompletableFuture<GetResult> read;
    try {
      read =
          versioned
              ? store.get(bucket, dbKey, GetOptions.version(version))
              : store.get(bucket, CausalLayout.contentKey(dbKey, version));
    } catch (RuntimeException e) {
      read = CompletableFuture.failedFuture(e);
    }
    return read.handle(
        (result, failure) -> {
          if (failure != null) {
            throw named(key, failure);
          }
          if (result instanceof GetResult.Found found) {
            return found.object().body();
          }
          warnings.skipped(key, "content referenced by the manifest is missing");
          return null;
        });
  }

  /**
   * Reads and parses one content version with {@code mapper}; null when it is gone, or invalid (not
   * JSON, over Jackson's limits), reported once.
   */
  public CompletableFuture<@Nullable Json> readJson(
      String dbKey, String version, ObjectMapper mapper) {
    CompletableFuture<byte @Nullable []> read;
    try {
      // Async: run on `reads` always, never on this thread (it may hold a manifest's lock).
      read =
          CompletableFuture.completedFuture(version).thenComposeAsync(v -> read(dbKey, v), reads);
    } catch (RejectedExecutionException e) {
      read = CompletableFuture.failedFuture(e); // the client is closed
    }
    return read.thenApply(
        bytes -> {
          if (bytes == null) {
            return null;
          }
          String key =
              versioned ? dbKey + "?versionId=" + version : CausalLayout.contentKey(dbKey, version);
          Parsed<JsonNode> value = BucketJson.read(mapper, key, bytes);
          if (value instanceof Parsed.Invalid<JsonNode> invalid) {
            warnings.invalid(invalid);
            return null;
          }
          return new Json(((Parsed.Valid<JsonNode>) value).value(), bytes.length);
        });
  }

  /** A value read from a content object, and the size of its JSON (for the content cache). */
  public record Json(JsonNode value, int size) {}

  /**
   * Why a version from a manifest can name no content object, or null. Versions come from the
   * bucket, so anyone may have written them: our writers use UUIDs (any client writes them in
   * unversioned mode), stores' version ids are printable ASCII. A {@code /} would add path segments
   * to the content key ({@code ..} among them, which S3Proxy answers with 500). A content key over
   * 1024 bytes is the key's fault, not the version's: see {@link #tooLong}.
   */
  private @Nullable String versionProblem(String version) {
    if (version.isEmpty() || version.length() > 1024) {
      return "it has " + version.length() + " characters (1..1024 allowed)";
    }
    for (int i = 0; i < version.length(); i++) {
      char c = version.charAt(i);
      if (c <= 0x20 || c >= 0x7f || (!versioned && c == '/')) {
        return "character " + (int) c + " at index " + i;
      }
    }
    return null;
  }

  private static boolean isObjectKey(String key) {
    try {
      ObjectKeys.requireValidKey(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The failure of a read whose content object no store can hold (issue #18): the key came from
   * another client's entry, longer than this client writes (the key plus {@code @<uuid>} must fit
   * in 1024 bytes). An error naming the key rather than an absent value, so a caller can tell a key
   * it cannot read from a deleted one; the key is shortened, its length given.
   */
  private static Mps3Exception tooLong(String dbKey, String version) {
    int bytes = dbKey.getBytes(StandardCharsets.UTF_8).length;
    int contentBytes =
        CausalLayout.contentKey(dbKey, version).getBytes(StandardCharsets.UTF_8).length;
    return new Mps3Exception(
        ErrorKind.INVALID,
        "key "
            + KeyText.excerpt(dbKey)
            + " ("
            + bytes
            + " bytes, written by another client) cannot be read: its content object would be named"
            + " by "
            + contentBytes
            + " bytes, over the "
            + ObjectKeys.MAX_KEY_BYTES
            + " an object key may have (this client writes keys of at most "
            + (ObjectKeys.MAX_KEY_BYTES - 1 - version.length())
            + " bytes)",
        null);
  }

  /** A store's failure, with the content object it was reading in the message. */
  private static RuntimeException named(String key, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ObjectStoreException e) {
      return new ObjectStoreException(
          e.kind(),
          "reading content object " + key + ": " + e.getMessage(),
          e.httpStatus(),
          e.errorCode(),
          e.requestId(),
          e);
    }
    return new CompletionException(cause);
  }
}
