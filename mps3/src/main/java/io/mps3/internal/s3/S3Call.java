package io.mps3.internal.s3;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** One call of {@link S3Transport}: its request, deadline, result, and the attempt it is on. */
final class S3Call {
  final S3Request request;

  /** When the call ends whatever happens, on the {@link System#nanoTime()} scale. */
  final long deadline;

  final CompletableFuture<S3Transport.Result> result = new CompletableFuture<>();
  final AtomicInteger attempts = new AtomicInteger();

  /** How the attempt before the current one failed, in words; null on the first attempt. */
  volatile @Nullable String before;

  /** The HTTP exchange of the current attempt; cancelling it closes its connection. */
  volatile @Nullable Future<?> inFlight;

  /**
   * After this, an attempt that may have been applied is not sent again ({@link
   * S3Request#resendWithin}); {@link #deadline} when there is no such limit.
   */
  final long resendDeadline;

  S3Call(S3Request request, long deadline) {
    this.request = request;
    this.deadline = deadline;
    Duration limit = request.resendWithin;
    this.resendDeadline =
        limit == null ? deadline : Math.min(deadline, System.nanoTime() + limit.toNanos());
  }

  /** Ends the call with {@code last} unless it ended already, closing the exchange in flight. */
  void end(S3Transport.Result last) {
    if (result.complete(last)) {
      Future<?> exchange = inFlight;
      if (exchange != null) {
        exchange.cancel(true);
      }
    }
  }
}
