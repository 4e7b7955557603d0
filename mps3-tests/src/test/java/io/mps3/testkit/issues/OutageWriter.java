package io.mps3.testkit.issues;

import io.mps3.ErrorKind;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.WriteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A writer of an outage test, on its own thread: puts {@code n = 1, 2, 3, ...} to the key {@code
 * <name>/k<n % KEYS>}, one write at a time, and records every acknowledged one.
 *
 * <p>What it does with a failed put follows the library's contract: {@link ErrorKind#UNAVAILABLE}
 * says "retry", and for a put it may have landed (a causal entry whose answer was lost); {@link
 * ErrorKind#OUTCOME_UNKNOWN} says it may or may not have landed. Either way the writer puts the
 * same value to the same key again until one put is acknowledged (the same value twice changes
 * nothing), and counts the failure. Any other kind is an answer that stands (a bad call, a refused
 * store, a closed client): the writer stops and records it, and the test fails naming it.
 */
final class OutageWriter {

  /** How many keys each writer cycles through. */
  static final int KEYS = 8;

  /** The pause after each acknowledged write, so that a run writes a bounded log. */
  private static final Duration PACE = Duration.ofMillis(50);

  final String name;
  private final Mps3Client client;
  private final WriteOptions options;
  private final Thread thread;
  private final Map<String, Integer> acked = new ConcurrentHashMap<>();
  private final AtomicInteger highestAcked = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
  final FailureTally failures = new FailureTally();
  private volatile boolean stopping;
  private volatile @Nullable Throwable death;
  private volatile int inFlight;

  OutageWriter(String name, Mps3Client client, WriteOptions options) {
    this.name = name;
    this.client = client;
    this.options = options;
    this.thread = new Thread(this::run, "outage-writer-" + name);
    this.thread.setDaemon(true);
  }

  static String key(String writer, int n) {
    return writer + "/k" + (n % KEYS);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      for (int n = 1; !stopping; n++) {
        inFlight = n;
        long started = System.nanoTime();
        putUntilAcknowledged(key(name, n), n);
        latencies.add((System.nanoTime() - started) / 1_000_000);
        acked.put(key(name, n), n);
        highestAcked.set(n);
        TimeUnit.MILLISECONDS.sleep(PACE.toMillis());
      }
    } catch (InterruptedException e) {
      death = e;
    } catch (RuntimeException | Error e) {
      death = e;
    }
  }

  private void putUntilAcknowledged(String key, int n) {
    while (true) {
      attempts.incrementAndGet();
      try {
        client.put(key, n, options);
        return;
      } catch (Mps3Exception e) {
        failures.add(e);
        if (e.kind() != ErrorKind.UNAVAILABLE && e.kind() != ErrorKind.OUTCOME_UNKNOWN) {
          throw e;
        }
      }
    }
  }

  /** Asks the writer to stop after the write in hand is acknowledged, and waits for it. */
  boolean stop(Duration bound) throws InterruptedException {
    stopping = true;
    thread.join(bound.toMillis());
    return !thread.isAlive();
  }

  /** {@return the highest value acknowledged so far} */
  int highestAcked() {
    return highestAcked.get();
  }

  /** {@return the last acknowledged value of each key written} */
  Map<String, Integer> acknowledged() {
    return Map.copyOf(acked);
  }

  /** {@return the value of the write in hand when the writer died, else 0} */
  int inDoubt() {
    return death == null ? 0 : inFlight;
  }

  /** {@return why the writer stopped before it was asked to; null while it runs or after stop} */
  @Nullable Throwable death() {
    return death;
  }

  /** {@return whether the thread runs} */
  boolean isRunning() {
    return thread.isAlive();
  }

  /** {@return the median and the longest time from a write's first try to its acknowledgement} */
  String latency() {
    List<Long> sorted;
    synchronized (latencies) {
      sorted = new ArrayList<>(latencies);
    }
    if (sorted.isEmpty()) {
      return "none";
    }
    Collections.sort(sorted);
    return "median "
        + sorted.get(sorted.size() / 2)
        + " ms, max "
        + sorted.get(sorted.size() - 1)
        + " ms";
  }

  int attempts() {
    return attempts.get();
  }
}
