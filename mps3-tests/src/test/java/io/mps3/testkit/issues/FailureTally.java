package io.mps3.testkit.issues;

import io.mps3.Mps3Exception;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failures by kind and by the shape of their message (numbers, UUIDs and log entry names
 * replaced), keeping one whole message of each shape as an example. Thread-safe.
 */
final class FailureTally {

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, String> examples = new ConcurrentHashMap<>();

  void add(Mps3Exception failure) {
    String shape = failure.kind() + ": " + shape(failure.getMessage());
    counts.computeIfAbsent(shape, s -> new AtomicInteger()).incrementAndGet();
    examples.putIfAbsent(shape, failure.kind() + ": " + failure.getMessage());
  }

  int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** One line per shape: count, then an example message. */
  String report(String indent) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(counts)
        .forEach(
            (shape, n) ->
                text.append(indent)
                    .append(n.get())
                    .append(" x ")
                    .append(examples.get(shape))
                    .append('\n'));
    return text.toString();
  }

  private static String shape(String message) {
    String shaped =
        message
            .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
            .replaceAll("@[0-9a-v]{9}_[0-9a-z]+_[0-9a-z]{2}", "@<entry>")
            .replaceAll("[0-9]+", "#");
    return shaped.length() > 300 ? shaped.substring(0, 300) : shaped;
  }
}
