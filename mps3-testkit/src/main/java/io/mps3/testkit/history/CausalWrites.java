package io.mps3.testkit.history;

import io.mps3.testkit.history.Operation.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The writes of a history as {@link CausalChecker} sees them: each write operation that may have
 * taken effect, found by the (key, value) it wrote, with its writer's program order and, once the
 * checker assigned it, its vector clock. Not thread-safe.
 */
final class CausalWrites {

  /** One write operation (a put, delete or batch) that may have taken effect. */
  static final class Write {
    final Operation op;
    final int writer;

    /** Its place among its writer's writes, from 1. */
    final int index;

    /** Its causal past as a vector clock (own entry included), set at its invocation. */
    int @Nullable [] clock;

    /** Acknowledged, or observed by someone other than a tentative reader. */
    boolean landed;

    Write(Operation op, int index) {
      this.op = op;
      this.writer = op.client();
      this.index = index;
      this.landed = op.acknowledged();
    }

    boolean acknowledged() {
      return op.acknowledged();
    }

    @Override
    public String toString() {
      return op.toString();
    }
  }

  private final Map<Integer, Write> byOperation = new HashMap<>();
  private final Map<String, Map<String, Write>> byValue = new HashMap<>();
  private final Map<String, List<Write>> onKey = new HashMap<>();
  private final Map<String, List<Write>> deletesOn = new HashMap<>();

  /**
   * Indexes the writes of {@code operations}, skipping those that failed with no effect.
   *
   * @throws IllegalArgumentException when two writes put one value to one key (the checker must
   *     know which write a value came from), or on a compare-and-set
   */
  CausalWrites(List<Operation> operations) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Operation op : operations) {
      if (op.call().kind() == Call.Kind.COMPARE_AND_SET) {
        throw new IllegalArgumentException(
            "the causal checker has no compare-and-set (the causal protocol has none): " + op);
      }
      if (!op.call().isWrite() || op.outcome() == Outcome.FAILED) {
        continue;
      }
      Write w = new Write(op, counts.merge(op.client(), 1, Integer::sum));
      byOperation.put(op.id(), w);
      op.call()
          .values()
          .forEach(
              (key, value) -> {
                onKey.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
                if (value == null) {
                  deletesOn.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
                  return;
                }
                Write before = byValue.computeIfAbsent(key, k -> new HashMap<>()).put(value, w);
                if (before != null) {
                  throw new IllegalArgumentException(
                      "two writes of " + value + " to " + key + ": " + before + " and " + op);
                }
              });
    }
  }

  /** The write of operation {@code id}, or null when it is no write or failed with no effect. */
  @Nullable Write ofOperation(int id) {
    return byOperation.get(id);
  }

  /** The write that put {@code value} to {@code key}, or null when none did. */
  @Nullable Write ofValue(String key, String value) {
    Map<String, Write> values = byValue.get(key);
    return values == null ? null : values.get(value);
  }

  /** Every write of {@code key} (deletes included), in order of invocation. */
  List<Write> on(String key) {
    return onKey.getOrDefault(key, List.of());
  }

  /** The deletes of {@code key} invoked before sequence number {@code at}. */
  List<Write> deletesBefore(String key, long at) {
    List<Write> out = new ArrayList<>();
    for (Write d : deletesOn.getOrDefault(key, List.of())) {
      if (d.op.invoke() < at) {
        out.add(d);
      }
    }
    return out;
  }

  /** Whether {@code a} happens before {@code b}: it is in {@code b}'s causal past. */
  static boolean happensBefore(Write a, Write b) {
    int[] clock = b.clock;
    return a != b && clock != null && a.index <= clock[a.writer];
  }

  /** Whether every candidate happens before {@code w} (an absent read older than w). */
  static boolean allBefore(List<Write> candidates, Write w) {
    for (Write c : candidates) {
      if (!happensBefore(c, w)) {
        return false;
      }
    }
    return true;
  }
}
