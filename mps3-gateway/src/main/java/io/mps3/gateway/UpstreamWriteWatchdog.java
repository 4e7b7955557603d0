package io.mps3.gateway;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The write timeout that blocking sockets lack: one daemon thread looks at the upstream client's
 * open connections a few times per timeout and closes each one whose write has been blocked longer
 * than the timeout (a store that stopped reading the request body), which ends that write with an
 * exception at once. Without it the handler thread would wait until TCP gives up, which it never
 * does while the store's TCP stack still acknowledges with a zero window.
 *
 * <p>A write costs two volatile stores ({@link UpstreamConnection#write}), nothing per write here.
 * A stall is found between the timeout and the timeout plus a quarter of it (plus a second at most)
 * after the write began. Thread-safe.
 */
final class UpstreamWriteWatchdog implements AutoCloseable {

  private final long limitNanos;
  private final Set<UpstreamConnection> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  /**
   * @param timeout the longest one write may stay blocked
   */
  UpstreamWriteWatchdog(Duration timeout) {
    this.limitNanos = timeout.toNanos();
    long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "mps3-gateway-upstream-write-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    // Its exceptions would end the schedule; check() throws none.
    var unused = timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** Watches a newly opened connection's writes until it is closed. */
  void watch(UpstreamConnection connection) {
    open.add(connection);
  }

  private void check() {
    long now = System.nanoTime();
    for (Iterator<UpstreamConnection> each = open.iterator(); each.hasNext(); ) {
      UpstreamConnection connection = each.next();
      if (!connection.isOpen() || connection.closeIfWriteStalled(now, limitNanos)) {
        each.remove(); // a concurrent set: removing while iterating is safe
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
