package io.mps3.testkit.history;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A sequential specification for {@link LinearizabilityChecker}: the state of the object before any
 * operation, and what each operation does to it. States must be immutable values (equals and
 * hashCode by content): the checker memoizes on them.
 *
 * <p>{@link RegisterModel} is one register per key; a model of multi-key transactions would keep
 * the whole map as its state and not partition.
 *
 * @param <S> the state
 */
public interface Model<S> {

  /** The state before any operation. */
  S initial();

  /**
   * The state after {@code op} took effect in {@code state}, or null if {@code op} could not have
   * answered what it answered there. An operation of unknown outcome answered nothing: it took
   * effect (the checker models "never" by linearizing it after everything else).
   */
  @Nullable S step(S state, Operation op);

  /**
   * Splits a history into parts that can be checked alone (a history is linearizable if each part
   * is), named for messages; operations the model does not judge are left out. The checker has
   * already removed failed operations and unanswered reads. The default keeps one part.
   */
  default Map<String, List<Operation>> partition(List<Operation> operations) {
    return Map.of("history", operations);
  }
}
