package io.mps3.testkit.journal;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A store whose availability a test switches: up, down (every call fails as a network outage
 * would), refusing writes only (reads work), or denying writes (access denied, which cannot heal).
 * Counts the writes it refused. Thread-safe.
 */
final class SwitchableStore implements ObjectStore {

  enum Mode {
    UP,
    DOWN,
    WRITES_DOWN,
    WRITES_DENIED
  }

  private final ObjectStore inner;
  private volatile Mode mode = Mode.UP;
  final AtomicInteger refusedWrites = new AtomicInteger();

  /** Entry PUTs of manifest.json but answer with a failure. */
  final AtomicInteger entryAnswersToLose = new AtomicInteger();

  /** Entry PUTs to fail without applying them. */
  final AtomicInteger entryPutsToFail = new AtomicInteger();

  SwitchableStore(ObjectStore inner) {
    this.inner = inner;
  }

  void set(Mode newMode) {
    this.mode = newMode;
  }

  private <T> CompletableFuture<T> read(Supplier<CompletableFuture<T>> call) {
    return mode == Mode.DOWN ? CompletableFuture.failedFuture(unavailable()) : call.get();
  }

  private <T> CompletableFuture<T> write(Supplier<CompletableFuture<T>> call) {
    Mode now = mode;
    if (now == Mode.UP) {
      return call.get();
    }
    refusedWrites.incrementAndGet();
    if (now == Mode.WRITES_DENIED) {
      return CompletableFuture.failedFuture(
          new ObjectStoreException(
              ObjectStoreException.Kind.ACCESS_DENIED, "test: access denied (403)", null));
    }
    return CompletableFuture.failedFuture(unavailable());
  }

  private static ObjectStoreException unavailable() {
    return new ObjectStoreException(
        ObjectStoreException.Kind.UNAVAILABLE, "test: the network is down", null);
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    return read(() -> inner.get(bucket, key, options));
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    boolean entry = key.startsWith("manifest.json@");
    if (entry && entryPutsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return CompletableFuture.failedFuture(unavailable());
    }
    if (entry && entryAnswersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return write(() -> inner.put(bucket, key, body, options))
          .thenCompose(landed -> CompletableFuture.failedFuture(unavailable()));
    }
    return write(() -> inner.put(bucket, key, body, options));
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return read(() -> inner.head(bucket, key));
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return write(() -> inner.delete(bucket, key));
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return read(() -> inner.list(bucket, request));
  }

  @Override
  public void close() {
    inner.close();
  }
}
