package io.mps3.gateway;

import io.mps3.internal.util.Utf8Order;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.spi.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The upstream store as it would be once one pending PUT (a causal log entry being checked) lands:
 * reads pass through, and the pending object is added to the first listing page it falls in and
 * answered by gets and heads. So the library's own resolver ({@link UpstreamManifests}) tells what
 * state readers would resolve with the entry in the log, without the gateway knowing how they do.
 * The object's time is the store's clock of the listing (its {@code Date}), as the store will stamp
 * the PUT about now. Read-only: writes fail. Thread-safe.
 */
final class PendingEntryStore implements ObjectStore {

  private final ObjectStore upstream;
  private final String bucket;
  private final String key;
  private final byte[] body;

  PendingEntryStore(ObjectStore upstream, String bucket, String key, byte[] body) {
    this.upstream = upstream;
    this.bucket = bucket;
    this.key = key;
    this.body = body.clone();
  }

  private boolean pending(String inBucket, String objectKey) {
    return inBucket.equals(bucket) && objectKey.equals(key);
  }

  private ObjectMetadata metadata(Instant time) {
    return new ObjectMetadata(key, "pending", time, body.length, null);
  }

  @Override
  public CompletableFuture<GetResult> get(String inBucket, String objectKey, GetOptions options) {
    return pending(inBucket, objectKey)
        ? CompletableFuture.completedFuture(
            new GetResult.Found(new StoredObject(metadata(Instant.now()), body.clone()), null))
        : upstream.get(inBucket, objectKey, options);
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String inBucket, String objectKey) {
    return pending(inBucket, objectKey)
        ? CompletableFuture.completedFuture(Optional.of(metadata(Instant.now())))
        : upstream.head(inBucket, objectKey);
  }

  @Override
  public CompletableFuture<ListPage> list(String inBucket, ListRequest request) {
    return upstream.list(inBucket, request).thenApply(page -> withPending(inBucket, request, page));
  }

  /** The page with the pending object in its place, when this page is where it falls. */
  private ListPage withPending(String inBucket, ListRequest request, ListPage page) {
    Utf8Order order = Utf8Order.INSTANCE;
    List<ObjectMetadata> objects = page.objects();
    boolean falls =
        inBucket.equals(bucket)
            && request.continuationToken() == null // the first page: entries of now list first
            && key.startsWith(request.prefix())
            && (request.startAfter() == null || order.compare(key, request.startAfter()) > 0)
            && (page.nextContinuationToken() == null
                || objects.isEmpty()
                || order.compare(key, objects.get(objects.size() - 1).key()) < 0)
            && objects.stream().noneMatch(o -> o.key().equals(key));
    if (!falls) {
      return page;
    }
    Instant time = page.serverDate() == null ? Instant.now() : page.serverDate();
    List<ObjectMetadata> out = new ArrayList<>(objects.size() + 1);
    boolean added = false;
    for (ObjectMetadata o : objects) {
      if (!added && order.compare(key, o.key()) < 0) {
        out.add(metadata(time));
        added = true;
      }
      out.add(o);
    }
    if (!added) {
      out.add(metadata(time));
    }
    return new ListPage(out, page.nextContinuationToken(), page.serverDate());
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String inBucket, String objectKey, byte[] bytes, PutOptions options) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("the gateway's view of a pending entry is read-only"));
  }

  @Override
  public CompletableFuture<Void> delete(String inBucket, String objectKey) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("the gateway's view of a pending entry is read-only"));
  }

  @Override
  public void close() {
    // The upstream store is not this view's to close.
  }
}
