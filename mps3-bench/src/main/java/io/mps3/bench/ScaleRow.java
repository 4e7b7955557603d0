package io.mps3.bench;

import java.util.Locale;

/**
 * One row of {@link ScaleBenchmark}: one protocol at one manifest size on one store.
 *
 * @param store the store's name
 * @param protocol {@code strict} or {@code causal}
 * @param keys the keys in the manifest
 * @param fillSeconds the time to write them in batches, background writes included
 * @param bytesPerPut the bytes of every body put by the timed single puts, divided by their number,
 *     the checkpoints they caused included
 * @param requestsPerPut the store calls of the timed puts, likewise
 * @param largestPut the largest body put during the timed puts (a checkpoint, a causal entry)
 * @param putP50Millis the median latency of an awaited put
 * @param putMeanMillis the mean latency of an awaited put
 * @param putMaxMillis the longest awaited put
 * @param openRequests the store calls of a new client's open (its first {@code keys})
 * @param openBytesRead the bytes of the bodies that open read
 * @param openMillis the median time of the new clients' opens
 * @param coldRequests the store calls of a new client's first get, until it answers
 * @param coldBytesRead the bytes of the bodies that first get read
 * @param coldMillis the median time of the new clients' first gets
 * @param heapPerKey the used heap after a full GC with the new client open, minus before, divided
 *     by {@code keys}
 */
record ScaleRow(
    String store,
    String protocol,
    int keys,
    double fillSeconds,
    double bytesPerPut,
    double requestsPerPut,
    long largestPut,
    double putP50Millis,
    double putMeanMillis,
    double putMaxMillis,
    long openRequests,
    long openBytesRead,
    double openMillis,
    long coldRequests,
    long coldBytesRead,
    double coldMillis,
    double heapPerKey) {

  /** The Markdown table's header and separator lines. */
  static final String TABLE_HEADER =
      "| store | protocol | keys | bytes written per put | requests per put | open: requests"
          + " | open: ms | cold get: requests | cold get: ms | heap per resident key (B)"
          + " | put p50 ms | put mean ms | put max ms | largest object put (B) | open: bytes read"
          + " | cold get: bytes read | fill s |\n"
          + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
          + " ---: | ---: | ---: | ---: |";

  /** This row as one line of the Markdown table. */
  String markdownRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %,d | %,.0f | %.2f | %d | %,.0f | %d | %,.0f | %,.0f | %.2f | %.2f | %,.0f"
            + " | %,d | %,d | %,d | %.1f |",
        store,
        protocol,
        keys,
        bytesPerPut,
        requestsPerPut,
        openRequests,
        openMillis,
        coldRequests,
        coldMillis,
        heapPerKey,
        putP50Millis,
        putMeanMillis,
        putMaxMillis,
        largestPut,
        openBytesRead,
        coldBytesRead,
        fillSeconds);
  }
}
