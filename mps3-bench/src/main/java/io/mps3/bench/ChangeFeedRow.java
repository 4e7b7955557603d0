package io.mps3.bench;

import java.util.Locale;

/**
 * One row of {@link ChangeFeedBenchmark}: one way of polling many idle strict manifests on one
 * store.
 *
 * @param store the store's name
 * @param polling {@code change feed} or {@code per manifest} (today's default)
 * @param manifests how many manifests the subscriber watches
 * @param pollMillis the poll interval
 * @param idleSeconds the length of the idle window
 * @param requestsPerSecond the subscriber's store calls in the idle window, per second
 * @param listsPerSecond its LISTs, per second
 * @param getsPerSecond its GETs (and HEADs), per second
 * @param changes how many single puts were timed to their delivery
 * @param delayMeanMillis the mean time from a put's call to its delivery to the subscriber
 * @param delayP50Millis the median of the same
 * @param delayP99Millis its 99th percentile (nearest rank)
 * @param afterAckMeanMillis the mean time from the put's acknowledgement to its delivery
 * @param rawGetMillis the mean raw GET of the same run (one round trip)
 */
record ChangeFeedRow(
    String store,
    String polling,
    int manifests,
    long pollMillis,
    double idleSeconds,
    double requestsPerSecond,
    double listsPerSecond,
    double getsPerSecond,
    int changes,
    double delayMeanMillis,
    double delayP50Millis,
    double delayP99Millis,
    double afterAckMeanMillis,
    double rawGetMillis) {

  /** The Markdown table's header and separator lines. */
  static final String TABLE_HEADER =
      "| store | polling | manifests | poll ms | idle s | requests/s | LIST/s | GET/s | changes"
          + " | delay mean ms | delay p50 ms | delay p99 ms | after ack mean ms"
          + " | goal: poll/2 + 2 raw GETs ms |\n"
          + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
          + " ---: | ---: |";

  /** This row as one line of the Markdown table. */
  String markdownRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %,d | %d | %.0f | %.2f | %.2f | %.2f | %d | %.1f | %.1f | %.1f | %.1f | %.1f |",
        store,
        polling,
        manifests,
        pollMillis,
        idleSeconds,
        requestsPerSecond,
        listsPerSecond,
        getsPerSecond,
        changes,
        delayMeanMillis,
        delayP50Millis,
        delayP99Millis,
        afterAckMeanMillis,
        pollMillis / 2.0 + 2 * rawGetMillis);
  }
}
