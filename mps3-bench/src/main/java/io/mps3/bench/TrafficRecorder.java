package io.mps3.bench;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a {@link io.mps3.store.CountingObjectStore} does not record, around one: the calls in flight
 * (so that a benchmark can wait for the checkpoints a client writes after its put has completed),
 * the bytes of the bodies read, and the largest body put. Calls started and bodies are recorded
 * since creation or the last {@link #reset()}.
 *
 * <p>Closing it does nothing: the target that made the store closes it.
 *
 * <p>Thread-safe.
 */
final class TrafficRecorder implements ObjectStore {

  /** How long no call may start or be in flight before the store counts as quiet. */
  private static final long QUIET_MILLIS = 500;

  private static final long POLL_MILLIS = 50;

  private final ObjectStore delegate;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong largestPut = new AtomicLong();

  TrafficRecorder(ObjectStore delegate) {
    this.delegate = delegate;
  }

  /** The bytes of every body read (GETs answered with the object). */
  long bytesRead() {
    return bytesRead.get();
  }

  /** The largest body put. */
  long largestPut() {
    return largestPut.get();
  }

  /** Forgets the bytes read and the largest body put; calls in flight stay counted. */
  void reset() {
    bytesRead.set(0);
    largestPut.set(0);
  }

  /**
   * Waits until no call is in flight and none has started for {@link #QUIET_MILLIS}: a client's
   * background writes (a checkpoint, then its head) have then finished.
   *
   * @throws IllegalStateException when the store is still busy after {@code timeoutMinutes}
   */
  void awaitQuiet(long timeoutMinutes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(timeoutMinutes);
    long quietSince = System.nanoTime();
    long seen = started.get();
    while (true) {
      long now = System.nanoTime();
      long calls = started.get();
      if (calls != seen || inFlight.get() > 0) {
        seen = calls;
        quietSince = now;
      } else if (now - quietSince >= TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
        return;
      }
      if (now > deadline) {
        throw new IllegalStateException(
            "the store was still busy after " + timeoutMinutes + " min: " + inFlight + " calls");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    return track(() -> delegate.get(bucket, key, options))
        .whenComplete(
            (result, e) -> {
              if (result instanceof GetResult.Found found) {
                bytesRead.addAndGet(found.object().body().length);
              }
            });
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    largestPut.accumulateAndGet(body.length, Math::max);
    return track(() -> delegate.put(bucket, key, body, options));
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return track(() -> delegate.head(bucket, key));
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return track(() -> delegate.delete(bucket, key));
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return track(() -> delegate.list(bucket, request));
  }

  @Override
  public void close() {
    // The target owns the store.
  }

  private <T> CompletableFuture<T> track(Supplier<CompletableFuture<T>> call) {
    started.incrementAndGet();
    inFlight.incrementAndGet();
    try {
      return call.get().whenComplete((result, e) -> inFlight.decrementAndGet());
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }
}
