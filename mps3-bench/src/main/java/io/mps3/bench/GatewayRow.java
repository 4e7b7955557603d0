package io.mps3.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * One cell of {@link GatewayBenchmark}: one operation on one path (direct to the store, or through
 * the gateway or a bare pass-through proxy to the same store), by some number of concurrent
 * clients.
 *
 * @param path {@code direct}, {@code gateway}, or one of the proxies that check nothing
 * @param operation what was measured
 * @param clients how many clients ran it at once
 * @param n how many operations were timed, all clients together (warm-up excluded)
 * @param p50Millis the median latency, nearest rank
 * @param p90Millis the 90th percentile latency, nearest rank
 * @param p99Millis the 99th percentile latency, nearest rank
 * @param opsPerSecond {@code n} divided by the wall time the timed calls took
 * @param requestsPerOp HTTP requests the clients sent, divided by {@code n}
 * @param cpuMicrosPerOp CPU time of the whole JVM (clients, proxies and store alike) during the
 *     timed calls, divided by {@code n}: what a path costs the machine, apart from waiting
 */
record GatewayRow(
    String path,
    String operation,
    int clients,
    int n,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    double opsPerSecond,
    double requestsPerOp,
    double cpuMicrosPerOp) {

  /** The Markdown table's header and separator lines. */
  static final String TABLE_HEADER =
      "| path | operation | clients | n | p50 ms | p90 ms | p99 ms | ops/s | requests/op"
          + " | CPU µs/op | p50 / direct | ops/s / direct |\n"
          + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

  /**
   * Summarizes timed calls.
   *
   * @param latencyNanos each call's latency; sorted in place
   * @param wallNanos the wall time the timed calls took
   * @param requests requests the clients sent during them
   * @param cpuNanos CPU time the JVM spent during them
   */
  static GatewayRow of(
      String path,
      String operation,
      int clients,
      long[] latencyNanos,
      long wallNanos,
      long requests,
      long cpuNanos) {
    int n = latencyNanos.length;
    if (n == 0) {
      throw new IllegalArgumentException("no samples for " + path + " / " + operation);
    }
    Arrays.sort(latencyNanos);
    return new GatewayRow(
        path,
        operation,
        clients,
        n,
        percentile(latencyNanos, 0.50) / 1e6,
        percentile(latencyNanos, 0.90) / 1e6,
        percentile(latencyNanos, 0.99) / 1e6,
        n / (wallNanos / 1e9),
        (double) requests / n,
        cpuNanos / 1e3 / n);
  }

  private static long percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** This cell as a table row, with its p50 and throughput as multiples of {@code direct}'s. */
  String markdownRow(GatewayRow direct) {
    boolean self = equals(direct);
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %d | %.2f | %.2f | %.2f | %.0f | %.2f | %.0f | %s | %s |",
        path,
        operation,
        clients,
        n,
        p50Millis,
        p90Millis,
        p99Millis,
        opsPerSecond,
        requestsPerOp,
        cpuMicrosPerOp,
        self ? "1 (floor)" : String.format(Locale.ROOT, "%.2fx", p50Millis / direct.p50Millis),
        self
            ? "1 (floor)"
            : String.format(Locale.ROOT, "%.2fx", opsPerSecond / direct.opsPerSecond));
  }
}
