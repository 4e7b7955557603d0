package io.mps3.internal.manifest;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a manifest with subscriptions learns that it may have changed: by polling on its own timer
 * ({@link #every}), or through a client-wide source such as the strict change feed (design 0017),
 * which calls the poll only when the manifest changed (and now and then to be safe).
 */
public interface Polling {

  /**
   * Starts calling {@code poll} for the manifest {@code manifestKey}.
   *
   * @return what stops it; called once, under the manifest's lock
   */
  Runnable start(String manifestKey, Runnable poll);

  /** Polls each manifest on its own, every {@code interval}: one cheap change check each. */
  static Polling every(ScheduledExecutorService scheduler, Duration interval) {
    long every = interval.toMillis();
    return (manifestKey, poll) -> {
      ScheduledFuture<?> poller =
          scheduler.scheduleWithFixedDelay(poll, every, every, TimeUnit.MILLISECONDS);
      return () -> poller.cancel(false);
    };
  }
}
