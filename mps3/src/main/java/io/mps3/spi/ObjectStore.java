package io.mps3.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A store of objects in named buckets, with the semantics of the S3 API: the one interface every
 * MPS3 protocol talks to.
 *
 * <p>Every operation is asynchronous. Futures may complete on any thread, the caller's included. An
 * invalid bucket name or key fails at once with {@link IllegalArgumentException}, before any
 * request (see {@link ObjectKeys}). Expected outcomes are values ({@link GetResult}, {@link
 * PutOutcome}); real failures complete the future with an {@link ObjectStoreException}.
 *
 * <p>ETags are given and taken without the quotes of the HTTP header. For a body written in one
 * piece by a built-in store, the ETag is the lowercase hex MD5 of the body, as in S3.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Reads an object, its latest version unless the options name one.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param key the object's key: 1 to 1024 UTF-8 bytes (see {@link ObjectKeys})
   * @param options the version to read and the ETag the caller holds; {@link GetOptions#latest()}
   * @return {@link GetResult.Found}, {@link GetResult.NotFound}, or {@link GetResult.NotModified}
   *     when {@link GetOptions#ifNoneMatch()} names the current ETag
   */
  CompletableFuture<GetResult> get(String bucket, String key, GetOptions options);

  /**
   * Reads the latest version of an object, unconditionally.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param key the object's key: 1 to 1024 UTF-8 bytes (see {@link ObjectKeys})
   * @return {@link GetResult.Found} or {@link GetResult.NotFound}
   */
  default CompletableFuture<GetResult> get(String bucket, String key) {
    return get(bucket, key, GetOptions.latest());
  }

  /**
   * Writes an object whole, replacing any current version unless a precondition says otherwise.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param key the object's key: 1 to 1024 UTF-8 bytes (see {@link ObjectKeys})
   * @param body the object's bytes, written as they are; the store may keep the array, so the
   *     caller does not change it afterwards
   * @param options the precondition and content type; {@link PutOptions#unconditional()}
   * @return {@link PutOutcome.Written}, {@link PutOutcome.PreconditionFailed}, or, for a
   *     conditional write whose response was lost and whose effect could not be resolved, {@link
   *     PutOutcome.OutcomeUnknown}
   */
  CompletableFuture<PutOutcome> put(String bucket, String key, byte[] body, PutOptions options);

  /**
   * Reads an object's metadata without its body.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param key the object's key: 1 to 1024 UTF-8 bytes (see {@link ObjectKeys})
   * @return the latest version's metadata; empty when there is no such object
   */
  CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key);

  /**
   * Deletes the latest version of an object. Deleting a missing object succeeds.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param key the object's key: 1 to 1024 UTF-8 bytes (see {@link ObjectKeys})
   * @return completes once deleted
   */
  CompletableFuture<Void> delete(String bucket, String key);

  /**
   * Lists one page of keys in UTF-8 byte order.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param request the prefix, start, page size and continuation token
   * @return the page, with the token of the next one when there is more
   */
  CompletableFuture<ListPage> list(String bucket, ListRequest request);

  /**
   * Lists every key with a prefix, after an optional key, following continuation tokens. Pages are
   * read one after the other.
   *
   * @param bucket the bucket's name, valid by S3's rules (see {@link ObjectKeys})
   * @param prefix the start every key listed has; {@code ""} for all
   * @param startAfter list only keys strictly after this one, or null to start at the beginning
   * @return the metadata of every matching object, in UTF-8 byte order of the keys; empty when none
   */
  default CompletableFuture<List<ObjectMetadata>> listAll(
      String bucket, String prefix, @Nullable String startAfter) {
    List<ObjectMetadata> all = new ArrayList<>();
    return listFrom(bucket, ListRequest.prefix(prefix).withStartAfter(startAfter), all)
        .thenApply(ignored -> all);
  }

  private CompletableFuture<Void> listFrom(
      String bucket, ListRequest request, List<ObjectMetadata> into) {
    return list(bucket, request)
        .thenCompose(
            page -> {
              into.addAll(page.objects());
              String token = page.nextContinuationToken();
              return token == null
                  ? CompletableFuture.completedFuture(null)
                  : listFrom(bucket, request.withContinuationToken(token), into);
            });
  }

  /**
   * Stops background work and releases resources. Idempotent. Operations started afterwards fail
   * with {@link ObjectStoreException.Kind#CLOSED}.
   */
  @Override
  void close();
}
