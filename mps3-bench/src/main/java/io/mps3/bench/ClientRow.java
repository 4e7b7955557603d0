package io.mps3.bench;

import io.mps3.store.CountingObjectStore.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of the client table: a measurement, its requests per operation broken down by kind, and
 * the floor operation whose p50 its own p50 is divided by, if any.
 *
 * @param measurement latencies, throughput and requests per operation
 * @param requests the requests column, for example {@code 3.01 (PUT 3, GET 0.01)}
 * @param floorOperation the name of the floor row it is compared to, or null when none fits
 */
record ClientRow(Measurement measurement, String requests, @Nullable String floorOperation) {

  /** The Markdown table's header and separator lines. */
  static final String TABLE_HEADER =
      "| store | operation | n | p50 ms | p99 ms | mean ms | ops/s | requests/op"
          + " | ratio to floor (p50) |\n"
          + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

  /** Requests per operation and their kinds, for example {@code 1.03 (GET 1, LIST 0.03)}. */
  static String requests(Map<Call, Long> counts, int n) {
    return String.format(Locale.ROOT, "%.2f (%s)", sum(counts) / (double) n, kinds(counts, n));
  }

  /**
   * Requests per operation of two clients together, with each one's kinds, for example {@code 5.02
   * (A: PUT 3; B: GET 1, LIST 0.5, ...)}.
   */
  static String requests(Map<Call, Long> a, Map<Call, Long> b, int n) {
    return String.format(
        Locale.ROOT,
        "%.2f (A: %s; B: %s)",
        (sum(a) + sum(b)) / (double) n,
        kinds(a, n),
        kinds(b, n));
  }

  /** This row in Markdown; the ratio is computed against the floor row of the same store. */
  String markdownRow(List<Measurement> floor) {
    String ratio = "";
    if (floorOperation != null) {
      for (Measurement raw : floor) {
        if (raw.store().equals(measurement.store()) && raw.operation().equals(floorOperation)) {
          ratio =
              String.format(
                  Locale.ROOT,
                  "%.1f x %s",
                  measurement.p50Millis() / raw.p50Millis(),
                  shortName(floorOperation));
        }
      }
    }
    return measurement.markdownCells() + " " + requests + " | " + ratio + " |";
  }

  private static String shortName(String floorOperation) {
    return switch (floorOperation) {
      case StoreFloorBenchmark.PUT -> "PUT";
      case StoreFloorBenchmark.GET_304 -> "304 GET";
      default -> floorOperation;
    };
  }

  private static long sum(Map<Call, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String kinds(Map<Call, Long> counts, int n) {
    List<String> parts = new ArrayList<>();
    for (Call call : List.of(Call.PUT, Call.GET, Call.LIST, Call.HEAD, Call.DELETE)) {
      long count = counts.getOrDefault(call, 0L);
      if (count > 0) {
        parts.add(call + " " + perOp(count, n));
      }
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** A count per operation: whole numbers bare, else two decimals (three below 0.01). */
  private static String perOp(long count, int n) {
    if (count % n == 0) {
      return Long.toString(count / n);
    }
    double value = count / (double) n;
    return String.format(Locale.ROOT, value < 0.01 ? "%.3f" : "%.2f", value);
  }
}
