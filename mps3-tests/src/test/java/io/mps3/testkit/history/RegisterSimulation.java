package io.mps3.testkit.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Records random histories of clients on a map that really is atomic, so they are linearizable (and
 * causal): each operation is invoked, takes effect at a later step, and answers at a later step
 * still, with the clients' steps interleaved at random. Some writes end unknown, having taken
 * effect or not. Values are unique ({@code "c<client>-<n>"}).
 */
final class RegisterSimulation {

  private RegisterSimulation() {}

  /**
   * A history of {@code clients} clients doing {@code ops} operations each on {@code keys} keys.
   */
  static History run(long seed, int clients, int ops, int keys, boolean compareAndSet) {
    Random random = new Random(seed);
    History history = History.create();
    Map<String, @Nullable String> map = new HashMap<>();
    int[] done = new int[clients];
    int[] phase = new int[clients]; // 0 idle, 1 invoked, 2 took effect (or not)
    int[] id = new int[clients];
    Call[] calls = new Call[clients];
    Object[] answer = new Object[clients];
    boolean[] unknown = new boolean[clients];
    List<Integer> busy = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      busy.add(c);
    }
    while (!busy.isEmpty()) {
      int c = busy.get(random.nextInt(busy.size()));
      if (phase[c] == 0) {
        calls[c] = call(random, c, done[c], keys, compareAndSet, map);
        id[c] = history.invoke(c, calls[c]);
        phase[c] = 1;
      } else if (phase[c] == 1) {
        unknown[c] = calls[c].isWrite() && random.nextInt(10) == 0;
        if (!unknown[c] || random.nextBoolean()) {
          answer[c] = apply(calls[c], map);
        }
        phase[c] = 2;
      } else {
        if (unknown[c]) {
          history.unknown(id[c]);
        } else if (calls[c].kind() == Call.Kind.GET) {
          history.read(id[c], (String) answer[c]);
        } else if (calls[c].kind() == Call.Kind.COMPARE_AND_SET) {
          history.swapped(id[c], (Boolean) answer[c]);
        } else {
          history.ok(id[c]);
        }
        phase[c] = 0;
        if (++done[c] == ops) {
          busy.remove(Integer.valueOf(c));
        }
      }
    }
    for (int c = 0; c < clients; c++) {
      Map<String, @Nullable String> state = new LinkedHashMap<>();
      for (int k = 0; k < keys; k++) {
        state.put("k" + k, map.get("k" + k));
      }
      history.finalState(c, state);
    }
    return history;
  }

  private static Call call(
      Random random, int c, int n, int keys, boolean cas, Map<String, @Nullable String> map) {
    String key = "k" + random.nextInt(keys);
    String value = "c" + c + "-" + n;
    int kind = random.nextInt(10);
    if (kind < 4) {
      return Call.get(key);
    } else if (kind < 6) {
      return Call.put(key, value);
    } else if (kind < 7) {
      return Call.delete(key);
    } else if (kind < 8 || !cas) {
      Map<String, @Nullable String> batch = new LinkedHashMap<>();
      batch.put(key, value);
      batch.put("k" + random.nextInt(keys), random.nextBoolean() ? value : null);
      return Call.putAll(batch);
    }
    return Call.compareAndSet(key, random.nextBoolean() ? map.get(key) : null, value);
  }

  private static @Nullable Object apply(Call call, Map<String, @Nullable String> map) {
    switch (call.kind()) {
      case GET -> {
        return map.get(call.key());
      }
      case COMPARE_AND_SET -> {
        boolean holds = java.util.Objects.equals(map.get(call.key()), call.expected());
        if (holds) {
          map.put(call.key(), call.values().get(call.key()));
        }
        return holds;
      }
      default -> {
        map.putAll(call.values());
        return null;
      }
    }
  }

  /** How many operations, how many overlap another, how many ended unknown: for test logs. */
  static String describe(History history) {
    List<Operation> ops = history.operations();
    long overlapping =
        ops.stream()
            .filter(
                a ->
                    ops.stream()
                        .anyMatch(
                            b ->
                                b.id() != a.id()
                                    && b.invoke() < a.response()
                                    && a.invoke() < b.response()))
            .count();
    long unknown = ops.stream().filter(op -> op.outcome() == Operation.Outcome.UNKNOWN).count();
    return ops.size()
        + " operations ("
        + overlapping
        + " overlapping another, "
        + unknown
        + " unknown)";
  }
}
