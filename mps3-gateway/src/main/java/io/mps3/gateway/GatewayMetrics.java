package io.mps3.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's counters: S3 requests by operation and decision, and the upstream store's latency
 * (time to its answer's headers) as a histogram. Written as Prometheus' text format, which most
 * collectors read, so no metrics library is needed. Thread-safe.
 */
final class GatewayMetrics {

  /** Histogram bounds of the upstream latency, in seconds. */
  private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder[] latencyBuckets = new LongAdder[BOUNDS.length + 1];
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAdder latencyCount = new LongAdder();

  GatewayMetrics() {
    for (int i = 0; i < latencyBuckets.length; i++) {
      latencyBuckets[i] = new LongAdder();
    }
  }

  /** Counts one request's decision. */
  void request(String operation, String decision) {
    requests
        .computeIfAbsent(
            "operation=\"" + operation + "\",decision=\"" + decision + "\"", k -> new LongAdder())
        .increment();
  }

  /** Records how long the store took to answer a forwarded request. */
  void upstreamLatency(long nanos) {
    double seconds = nanos / 1e9;
    int i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) {
      i++;
    }
    latencyBuckets[i].increment();
    latencyNanos.add(nanos);
    latencyCount.increment();
  }

  /** The counters in Prometheus' text exposition format (version 0.0.4). */
  String text() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP mps3_gateway_requests_total S3 requests by operation and decision.\n");
    out.append("# TYPE mps3_gateway_requests_total counter\n");
    new TreeMap<>(requests)
        .forEach(
            (labels, count) ->
                out.append("mps3_gateway_requests_total{")
                    .append(labels)
                    .append("} ")
                    .append(count.sum())
                    .append('\n'));
    out.append("# HELP mps3_gateway_upstream_seconds Time to the upstream store's answer.\n");
    out.append("# TYPE mps3_gateway_upstream_seconds histogram\n");
    long cumulative = 0;
    for (int i = 0; i < latencyBuckets.length; i++) {
      cumulative += latencyBuckets[i].sum();
      String bound = i < BOUNDS.length ? Double.toString(BOUNDS[i]) : "+Inf";
      out.append("mps3_gateway_upstream_seconds_bucket{le=\"")
          .append(bound)
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    out.append("mps3_gateway_upstream_seconds_sum ").append(latencyNanos.sum() / 1e9).append('\n');
    out.append("mps3_gateway_upstream_seconds_count ").append(latencyCount.sum()).append('\n');
    return out.toString();
  }
}
