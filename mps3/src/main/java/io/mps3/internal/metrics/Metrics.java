package io.mps3.internal.metrics;

import io.mps3.spi.ClientMetrics;
import io.mps3.spi.ClientMetrics.CommitEvent;
import io.mps3.spi.ClientMetrics.Operation;
import io.mps3.spi.ClientMetrics.Outcome;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A client's {@link ClientMetrics.Recorder}, guarded: the one way the library reports to it. A
 * recorder that throws is logged once and ignored, so it never fails a call; without metrics
 * ({@link #OFF}) every method returns at a null check, and {@link #start()} reads no clock.
 *
 * <p>Callers report outside the library's locks (the SPI promises it): where a count is decided
 * under a lock, it is carried out of it and reported after. Thread-safe.
 */
public final class Metrics {

  private static final System.Logger LOG = System.getLogger(Metrics.class.getName());

  /** Reports nothing. */
  public static final Metrics OFF = new Metrics(null);

  private final ClientMetrics.@Nullable Recorder recorder;
  private final AtomicBoolean warned = new AtomicBoolean();

  private Metrics(ClientMetrics.@Nullable Recorder recorder) {
    this.recorder = recorder;
  }

  /** The metrics of a new client: {@link #OFF} when none are configured or their opening threw. */
  public static Metrics open(ClientMetrics metrics, ClientMetrics.Client client) {
    if (metrics == ClientMetrics.none()) {
      return OFF;
    }
    try {
      ClientMetrics.Recorder recorder = metrics.clientOpened(client);
      return recorder == null ? OFF : new Metrics(recorder);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "MPS3: the client's metrics failed to open; this client records none",
          e);
      return OFF;
    }
  }

  /** Whether anything is recorded. */
  public boolean on() {
    return recorder != null;
  }

  /** The start of a timed call: {@link System#nanoTime()}, or 0 without metrics. */
  public long start() {
    return recorder == null ? 0 : System.nanoTime();
  }

  /** A call that started at {@link #start()} ended. */
  public void operation(String manifest, Operation operation, Outcome outcome, long started) {
    ClientMetrics.Recorder r = recorder;
    if (r != null) {
      long nanos = System.nanoTime() - started;
      guarded(() -> r.operation(manifest, operation, outcome, nanos));
    }
  }

  /** A commit step, {@code count} times (nothing when 0). */
  public void commit(String manifest, CommitEvent event, int count) {
    ClientMetrics.Recorder r = recorder;
    if (r != null) {
      for (int i = 0; i < count; i++) {
        guarded(() -> r.commit(manifest, event));
      }
    }
  }

  /** A commit step. */
  public void commit(String manifest, CommitEvent event) {
    commit(manifest, event, 1);
  }

  /** A change of another writer reached this client after {@code millis} (negative: 0). */
  public void pollLag(String manifest, long millis) {
    ClientMetrics.Recorder r = recorder;
    if (r != null) {
      guarded(() -> r.pollLag(manifest, Math.max(0, millis)));
    }
  }

  /** The client closed. */
  public void closed() {
    ClientMetrics.Recorder r = recorder;
    if (r != null) {
      guarded(r::clientClosed);
    }
  }

  private void guarded(Runnable report) {
    try {
      report.run();
    } catch (RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "MPS3: the client's metrics recorder threw; it is ignored (logged once per client)",
            e);
      }
    }
  }
}
