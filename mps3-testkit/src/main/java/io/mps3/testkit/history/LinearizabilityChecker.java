package io.mps3.testkit.history;

import io.mps3.testkit.history.Operation.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a history is linearizable for a {@link Model}: there is one order of its operations,
 * each placed between its invocation and its response, in which the model gives every operation the
 * answer it got.
 *
 * <p>The search is Lowe's just-in-time linearization (Wing and Gong's algorithm with memoization),
 * as Porcupine implements it: walk the invocations and responses in time order; at an invocation,
 * try to linearize that operation next if the model accepts its answer and the pair (set of
 * operations linearized, model state) was not tried before; at a response whose operation is not
 * yet linearized, undo the last choice. Each part of the model's {@link Model#partition} is
 * searched alone.
 *
 * <p>Failed operations (certainly no effect) and unanswered reads are left out. An operation of
 * unknown outcome has its response at infinity: it may take effect at any point after its
 * invocation, or never (linearized after everything else, it affects nothing).
 *
 * <p>A failure names the part (the key, for {@link RegisterModel}) and a minimal set of its
 * operations that cannot be linearized: operations are removed one by one while the rest still
 * fail, except a write whose value a remaining operation observed. Thread-safe (stateless).
 *
 * @param <S> the state of the model
 */
public final class LinearizabilityChecker<S> {

  /** The rule every violation of this checker names. */
  public static final String LINEARIZABLE = "linearizable";

  private static final long MAX_STEPS = 20_000_000;

  private final Model<S> model;

  private LinearizabilityChecker(Model<S> model) {
    this.model = model;
  }

  /** A checker for {@code model}. */
  public static <S> LinearizabilityChecker<S> of(Model<S> model) {
    return new LinearizabilityChecker<>(Objects.requireNonNull(model, "model"));
  }

  /**
   * Checks a history.
   *
   * @throws IllegalStateException when a part needs more than 20 million search steps
   */
  public CheckResult check(History history) {
    List<Operation> operations = new ArrayList<>();
    for (Operation op : history.operations()) {
      boolean noEffect =
          op.outcome() == Outcome.FAILED || (op.outcome() != Outcome.OK && !op.call().isWrite());
      if (!noEffect) {
        operations.add(op);
      }
    }
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> part : model.partition(operations).entrySet()) {
      List<Operation> ops = part.getValue();
      if (!linearizable(ops, part.getKey())) {
        violations.add(new Violation(LINEARIZABLE, describe(part.getKey(), shrink(ops))));
      }
    }
    return new CheckResult(violations, operations.size(), 0);
  }

  private String describe(String part, List<Operation> minimal) {
    StringBuilder out = new StringBuilder();
    out.append(part).append(": not linearizable; a minimal set of ").append(minimal.size());
    out.append(" operation(s) that cannot be linearized (the others left out):");
    minimal.stream()
        .sorted(Comparator.comparingLong(Operation::invoke))
        .forEach(op -> out.append("\n    ").append(op));
    return out.toString();
  }

  /** A 1-minimal failing subset, keeping every write whose value a kept operation observed. */
  private List<Operation> shrink(List<Operation> failing) {
    List<Operation> kept = new ArrayList<>(failing);
    boolean removed = true;
    while (removed) {
      removed = false;
      for (int i = kept.size() - 1; i >= 0; i--) {
        List<Operation> without = new ArrayList<>(kept);
        Operation op = without.remove(i);
        if (!observedIn(op, without) && !linearizable(without, "")) {
          kept = without;
          removed = true;
        }
      }
    }
    return kept;
  }

  /** Whether {@code op} wrote a value that an operation of {@code rest} read or expected. */
  private static boolean observedIn(Operation op, List<Operation> rest) {
    if (!op.call().isWrite()) {
      return false;
    }
    for (Map.Entry<String, @Nullable String> write : op.call().values().entrySet()) {
      if (observedIn(write.getKey(), write.getValue(), rest)) {
        return true;
      }
    }
    return false;
  }

  private static boolean observedIn(String key, @Nullable String value, List<Operation> rest) {
    boolean observed = false;
    for (Operation other : rest) {
      Call c = other.call();
      if (!c.values().containsKey(key)) {
        continue;
      }
      if (c.isWrite() && Objects.equals(c.values().get(key), value)) {
        return false; // another write gives the same value
      }
      observed |= c.kind() == Call.Kind.GET && Objects.equals(other.read(), value);
      observed |= c.kind() == Call.Kind.COMPARE_AND_SET && Objects.equals(c.expected(), value);
    }
    return observed;
  }

  /** One invocation or response, in a doubly linked list of the events not yet linearized. */
  private static final class Node {
    final int op;
    final boolean call;
    final long time;
    @Nullable Node match;
    @Nullable Node prev;
    @Nullable Node next;

    Node(int op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }
  }

  private record Frame<S>(Node call, S before) {}

  private record Tried<S>(BitSet linearized, S state) {}

  private boolean linearizable(List<Operation> ops, String part) {
    Node head = events(ops);
    S state = model.initial();
    BitSet linearized = new BitSet(ops.size());
    Set<Tried<S>> tried = new HashSet<>();
    Deque<Frame<S>> stack = new ArrayDeque<>();
    Node entry = head.next;
    for (long steps = 0; head.next != null; steps++) {
      if (steps > MAX_STEPS) {
        throw new IllegalStateException(
            part
                + ": linearizability undecided after "
                + MAX_STEPS
                + " steps ("
                + ops.size()
                + " operations)");
      }
      Node current = Objects.requireNonNull(entry);
      if (current.call) {
        S next = model.step(state, ops.get(current.op));
        if (next != null) {
          BitSet after = (BitSet) linearized.clone();
          after.set(current.op);
          if (tried.add(new Tried<>(after, next))) {
            stack.push(new Frame<>(current, state));
            state = next;
            linearized = after;
            lift(current);
            entry = head.next;
            continue;
          }
        }
        entry = current.next;
      } else {
        if (stack.isEmpty()) {
          return false; // this operation returned, and nothing could be linearized before it
        }
        Frame<S> undo = stack.pop();
        state = undo.before();
        linearized.clear(undo.call().op);
        unlift(undo.call());
        entry = undo.call().next;
      }
    }
    return true;
  }

  /** The events in time order (an invocation before a response at the same time), after a head. */
  private static Node events(List<Operation> ops) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      Node call = new Node(i, true, op.invoke());
      long end = op.outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : op.response();
      Node ret = new Node(i, false, end);
      call.match = ret;
      nodes.add(call);
      nodes.add(ret);
    }
    nodes.sort(Comparator.comparingLong((Node n) -> n.time).thenComparing(n -> !n.call));
    Node head = new Node(-1, false, Long.MIN_VALUE);
    Node last = head;
    for (Node n : nodes) {
      last.next = n;
      n.prev = last;
      last = n;
    }
    return head;
  }

  /** Takes a call and its response out of the list. */
  private static void lift(Node call) {
    Node ret = Objects.requireNonNull(call.match);
    Objects.requireNonNull(call.prev).next = call.next;
    Objects.requireNonNull(call.next).prev = call.prev;
    Objects.requireNonNull(ret.prev).next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  /** Puts back what {@link #lift} took out (the last lifted first). */
  private static void unlift(Node call) {
    Node ret = Objects.requireNonNull(call.match);
    Objects.requireNonNull(ret.prev).next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    Objects.requireNonNull(call.prev).next = call;
    Objects.requireNonNull(call.next).prev = call;
  }
}
