package io.mps3.internal.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The feed's safety net (design 0017): polls the feed's manifests directly, one at a time,
 * round-robin, within a budget: at most {@link #PER_SECOND} polls a second, and no manifest more
 * often than once per {@link #POLLS_APART} poll intervals. A change whose marker was lost (its
 * writer died, or the marker's PUT failed) is thereby delivered within max(N / 8 s, 10 polls) for N
 * manifests, never lost. Thread-safe.
 */
final class FeedSweep {

  /** The most direct polls a second, whatever the number of manifests. */
  static final int PER_SECOND = 8;

  /** The fewest poll intervals between two sweeps of one manifest. */
  static final int POLLS_APART = 10;

  private final ScheduledExecutorService scheduler;
  private final long pollMillis;
  private final List<Runnable> ring = new ArrayList<>();
  private int next;
  private @Nullable ScheduledFuture<?> tick;

  FeedSweep(ScheduledExecutorService scheduler, Duration pollInterval) {
    this.scheduler = scheduler;
    this.pollMillis = pollInterval.toMillis();
  }

  /** Adds a manifest's poll; the sweep runs while there is one. */
  synchronized void add(Runnable poll) {
    ring.add(poll);
    if (tick == null) {
      schedule();
    }
  }

  /** Removes a manifest's poll. */
  synchronized void remove(Runnable poll) {
    int at = ring.indexOf(poll);
    if (at < 0) {
      return;
    }
    ring.remove(at);
    if (at < next) {
      next--;
    }
    if (ring.isEmpty() && tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }

  /** Stops sweeping; the client closes. */
  synchronized void stop() {
    ring.clear();
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }

  /** The time between two sweep polls for {@code members} manifests. */
  static long delayMillis(long pollMillis, int members) {
    long budget = 1000 / PER_SECOND;
    return Math.max(budget, pollMillis * POLLS_APART / Math.max(1, members));
  }

  private void schedule() {
    try {
      tick = scheduler.schedule(this::sweepOne, delayMillis(pollMillis, ring.size()), MILLISECONDS);
    } catch (RejectedExecutionException e) {
      tick = null; // the client is closing
    }
  }

  private void sweepOne() {
    Runnable poll;
    synchronized (this) {
      if (ring.isEmpty() || tick == null) {
        return;
      }
      next = next % ring.size();
      poll = ring.get(next++);
      schedule();
    }
    poll.run(); // a refresh: completes later, never throws
  }

  private static final TimeUnit MILLISECONDS = TimeUnit.MILLISECONDS;
}
