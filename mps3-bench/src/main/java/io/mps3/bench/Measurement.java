package io.mps3.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The summary of one benchmark cell: one operation, repeated sequentially against one store.
 *
 * @param store the store's name
 * @param operation what was measured
 * @param n how many operations were timed (warm-up excluded)
 * @param p50Millis the median latency, nearest rank
 * @param p99Millis the 99th percentile latency, nearest rank
 * @param meanMillis the mean latency
 * @param opsPerSecond {@code n} divided by the wall time of the timed loop
 * @param requestsPerOp store calls made by the timed loop, divided by {@code n}
 */
record Measurement(
    String store,
    String operation,
    int n,
    double p50Millis,
    double p99Millis,
    double meanMillis,
    double opsPerSecond,
    double requestsPerOp) {

  private static final double NANOS_PER_MILLI = 1e6;

  /** The Markdown table's header and separator lines. */
  static final String TABLE_HEADER =
      "| store | operation | n | p50 ms | p99 ms | mean ms | ops/s | requests/op |\n"
          + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |";

  /**
   * Summarizes the latencies of one timed loop.
   *
   * @param latencyNanos each operation's latency; sorted in place
   * @param wallNanos the wall time of the whole loop
   * @param requests store calls made during the loop
   */
  static Measurement of(
      String store, String operation, long[] latencyNanos, long wallNanos, long requests) {
    int n = latencyNanos.length;
    if (n == 0) {
      throw new IllegalArgumentException("no samples for " + store + " / " + operation);
    }
    Arrays.sort(latencyNanos);
    double sum = 0;
    for (long nanos : latencyNanos) {
      sum += nanos;
    }
    return new Measurement(
        store,
        operation,
        n,
        percentile(latencyNanos, 0.50) / NANOS_PER_MILLI,
        percentile(latencyNanos, 0.99) / NANOS_PER_MILLI,
        sum / n / NANOS_PER_MILLI,
        n / (wallNanos / 1e9),
        (double) requests / n);
  }

  /** The nearest-rank percentile of sorted samples. */
  private static long percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  /** This cell as one row of the Markdown table. */
  String markdownRow() {
    return markdownCells() + String.format(Locale.ROOT, " %.2f |", requestsPerOp);
  }

  /** The row's cells up to ops/s, without the requests column, for tables that extend it. */
  String markdownCells() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d | %.2f | %.2f | %.2f | %.0f |",
        store,
        operation,
        n,
        p50Millis,
        p99Millis,
        meanMillis,
        opsPerSecond);
  }
}
