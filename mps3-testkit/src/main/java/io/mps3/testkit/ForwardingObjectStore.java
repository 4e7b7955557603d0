package io.mps3.testkit;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An object store that passes every call to another: the base of a test's store that changes one or
 * two calls (a fault, a hold, a record of what was written) and leaves the rest alone, as Guava's
 * {@code Forwarding} classes are. {@link #close()} closes the delegate. Thread-safe when the
 * delegate and the overriding methods are.
 */
public abstract class ForwardingObjectStore implements ObjectStore {

  /** The store every call goes to unless a subclass says otherwise. */
  protected final ObjectStore delegate;

  /**
   * A store forwarding to {@code delegate}.
   *
   * @param delegate the store that serves the calls; not null
   */
  protected ForwardingObjectStore(ObjectStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    return delegate.get(bucket, key, options);
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    return delegate.put(bucket, key, body, options);
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return delegate.head(bucket, key);
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return delegate.delete(bucket, key);
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return delegate.list(bucket, request);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
