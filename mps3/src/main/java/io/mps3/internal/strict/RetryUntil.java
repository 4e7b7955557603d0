package io.mps3.internal.strict;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.util.Backoff;
import io.mps3.spi.ObjectStoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A deadline for a step of the strict protocol that must learn an answer from the store (the
 * client's {@code outageTimeout}), and the retries within it: a step that fails with a transient
 * failure runs again after a jittered backoff until the deadline has passed, then its last failure
 * stands. Store calls have their own deadline (an S3 store's call timeout); this one spans several
 * calls, so an outage of a few seconds is ridden out rather than reported.
 *
 * <p>The deadline is on {@link System#nanoTime()}, not the client's clock: it bounds real waits on
 * a real scheduler, and a test's manual clock must not make them endless. Thread-safe.
 */
final class RetryUntil {

  private final ScheduledExecutorService scheduler;
  private final long deadlineNanos;

  /** A deadline {@code timeout} from now. */
  RetryUntil(ScheduledExecutorService scheduler, Duration timeout) {
    this.scheduler = scheduler;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  /** Whether the deadline has passed. */
  boolean passed() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  /** Runs {@code step} until it succeeds, fails for good, or fails past the deadline. */
  <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> step) {
    CompletableFuture<T> done = new CompletableFuture<>();
    attempt(step, done, 1);
    return done;
  }

  // Ignored futures: the callback completes `done` on every path.
  @SuppressWarnings("FutureReturnValueIgnored")
  private <T> void attempt(Supplier<CompletableFuture<T>> step, CompletableFuture<T> done, int n) {
    CompletableFuture<T> call;
    try {
      call = step.get();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (value, error) -> {
          if (error == null) {
            done.complete(value);
          } else if (!isTransient(error) || passed()) {
            done.completeExceptionally(error);
          } else {
            later(() -> attempt(step, done, n + 1), pause(n));
          }
        });
  }

  /** Runs {@code task} after {@code millis}; at once when the client's scheduler has shut down. */
  void later(Runnable task, long millis) {
    later(scheduler, task, millis);
  }

  /** Runs {@code task} after {@code millis} on a scheduler; at once when it has shut down. */
  static void later(ScheduledExecutorService scheduler, Runnable task, long millis) {
    later(scheduler, task, millis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} after {@code delay} on a scheduler; at once when it has shut down. */
  @SuppressWarnings("FutureReturnValueIgnored") // the task reports its own outcome
  static void later(ScheduledExecutorService scheduler, Runnable task, long delay, TimeUnit unit) {
    if (delay <= 0) {
      task.run();
      return;
    }
    try {
      scheduler.schedule(task, delay, unit);
    } catch (RejectedExecutionException e) {
      task.run(); // the client is closing: let the task see it
    }
  }

  /** The wait before try {@code n + 1}: 10 ms doubling to at most 1 s, with jitter. */
  static long pause(int n) {
    return Backoff.equalJitter(10, 1_000, n);
  }

  /**
   * Whether a failure may pass if the step runs again: a store that could not be reached or
   * answered 5xx, or a step that found the store too troubled to conclude ({@link
   * ErrorKind#UNAVAILABLE}). A key the store rejects before any request, access denied, a missing
   * bucket, a closed client: no.
   */
  static boolean isTransient(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ObjectStoreException storeFailure) {
      return storeFailure.isRetryable();
    }
    return cause instanceof Mps3Exception failure && failure.kind() == ErrorKind.UNAVAILABLE;
  }

  /**
   * Whether a failed create of a slot is worth resolving and trying again: anything but a key the
   * store rejects before any request, or a store failure that is not transient.
   */
  static boolean mayRetryCreate(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof ObjectStoreException)) {
      cause = cause.getCause();
    }
    if (cause instanceof IllegalArgumentException) {
      return false; // a store rejects an invalid key before any request: nothing was written
    }
    return !(cause instanceof ObjectStoreException) || ((ObjectStoreException) cause).isRetryable();
  }
}
