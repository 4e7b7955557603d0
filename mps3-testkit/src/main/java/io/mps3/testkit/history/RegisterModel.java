package io.mps3.testkit.history;

import io.mps3.testkit.history.Operation.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One register per key, absent at first: get returns the value, put and delete replace it, and
 * compare-and-set replaces it when it holds the expected value (answering whether it did). A
 * compare-and-set of unknown outcome swaps exactly when the expectation holds.
 *
 * <p>The history is partitioned by key. A batch ({@code putAll}) is checked as one write per key: a
 * sound but weaker check, since it does not ask the keys to change together. Subscriptions are left
 * out. Thread-safe (stateless).
 */
public final class RegisterModel implements Model<RegisterModel.Register> {

  /**
   * The value a register holds.
   *
   * @param value the value, {@code null} when absent
   */
  public record Register(@Nullable String value) {
    @Override
    public String toString() {
      return Call.show(value);
    }
  }

  private static final Register ABSENT = new Register(null);

  private RegisterModel() {}

  /** The model. */
  public static RegisterModel create() {
    return new RegisterModel();
  }

  @Override
  public Register initial() {
    return ABSENT;
  }

  @Override
  public @Nullable Register step(Register state, Operation op) {
    Call call = op.call();
    String key = op.key();
    switch (call.kind()) {
      case GET -> {
        return Objects.equals(state.value(), op.read()) ? state : null;
      }
      case PUT, DELETE, PUT_ALL -> {
        return new Register(call.values().get(key));
      }
      case COMPARE_AND_SET -> {
        boolean holds = Objects.equals(state.value(), call.expected());
        if (op.outcome() == Outcome.UNKNOWN) {
          return holds ? new Register(call.values().get(key)) : state;
        }
        if (holds != op.swapped()) {
          return null;
        }
        return holds ? new Register(call.values().get(key)) : state;
      }
      default -> throw new IllegalArgumentException("not a register operation: " + op);
    }
  }

  /** One part per key; a batch becomes one single-key write in each part of its keys. */
  @Override
  public Map<String, List<Operation>> partition(List<Operation> operations) {
    Map<String, List<Operation>> parts = new TreeMap<>();
    for (Operation op : operations) {
      Call call = op.call();
      if (call.kind() == Call.Kind.SUBSCRIBE || call.kind() == Call.Kind.UNSUBSCRIBE) {
        continue;
      }
      call.values()
          .forEach(
              (key, value) -> {
                Call single =
                    call.kind() != Call.Kind.PUT_ALL
                        ? call
                        : value == null ? Call.delete(key) : Call.put(key, value);
                parts.computeIfAbsent(key, k -> new ArrayList<>()).add(withCall(op, single));
              });
    }
    return parts;
  }

  private static Operation withCall(Operation op, Call call) {
    return call.equals(op.call())
        ? op
        : new Operation(
            op.id(),
            op.client(),
            call,
            op.outcome(),
            op.read(),
            op.swapped(),
            op.invoke(),
            op.response(),
            op.invokeNanos(),
            op.responseNanos());
  }
}
