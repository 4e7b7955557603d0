package io.mps3.testkit.history;

import io.mps3.testkit.history.CausalWrites.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks a recorded {@link History} against causal consistency as the causal protocol promises it
 * (PROTOCOL.md A6): every reader sees each writer's writes in order, a view never goes back, what
 * caused a write is seen with it, and clients converge without losing acknowledged writes.
 *
 * <h2>The order it checks against</h2>
 *
 * Values are identified by the write that wrote them: a write puts a value to a key no other write
 * puts to that key (the runner writes {@code "c<client>-<n>"}). Writes that failed with certainly
 * no effect are ignored; a write that failed or never answered ({@code UNKNOWN}) may have landed.
 * <em>Happens-before</em> between writes is built from each client's program order and reads-from:
 * a write's causal past is its client's earlier writes and every write the client had observed (a
 * get returned its value, or a subscription delivered it) before invoking it, closed transitively;
 * it is kept as a vector clock. "x is older than f" means x happens before f.
 *
 * <p>A client's observation of its own write that is not acknowledged is <em>tentative</em> (the
 * client shows a pending write at once and withdraws it when it fails): a notification of it, or a
 * get invoked before its failure answered, adds nothing to what the client has seen. A get invoked
 * after the failure reads the bucket, so it counts. An absent value adds no edges (it cannot name
 * its delete); it is judged against the candidates it could come from: the initial state and every
 * delete of the key invoked before it was observed. A write has <em>landed</em> when it was
 * acknowledged or observed by someone (not tentatively).
 *
 * <h2>The rules</h2>
 *
 * A <em>stream</em> is what one client observed of one key through one source: its gets in program
 * order, or one subscription's notifications in delivery order. For each observation of value x:
 *
 * <ol>
 *   <li>{@link #PHANTOM}: x was written to that key by a write invoked before it was observed.
 *   <li>{@link #WRITER_ORDER} (i): the stream has not seen a later write of x's writer on the key.
 *   <li>{@link #MONOTONIC} (ii): x is not older than a value the stream saw before, and the stream
 *       does not return to x after another value replaced it (values are unique, so going back to
 *       one is going back). Absent is a violation when every candidate is older than a value the
 *       stream saw.
 *   <li>{@link #CAUSAL_PAST} (iii), gets only: x is not older than a landed write of the key that
 *       the client knew of when it invoked the get: one in the causal past of anything it had
 *       observed (any key, any source) or its own acknowledged write. The same for absent, against
 *       every candidate. Subscriptions are exempt: each keeps its own order, not an order with the
 *       client's other calls.
 * </ol>
 *
 * After the workload, with faults off, each client reads every key ({@link History#finalState}):
 *
 * <ol>
 *   <li>{@link #DIVERGENCE} (iv): all clients read the same state.
 *   <li>{@link #LOST_WRITE} (iv): for each key, the state's value (or absent) is not older than a
 *       landed write of that key. With {@link #withSynchronizedClocks}, also: it is not from a
 *       write that ended more than the margin before an acknowledged write of that key began (last
 *       writer wins by entry time, and the clocks agree), nor absent when every delete of the key
 *       ended so.
 * </ol>
 *
 * Convergence is checked only when the history holds final states. Thread-safe (stateless).
 */
public final class CausalChecker {

  /** A value no write wrote, or observed before its write began. */
  public static final String PHANTOM = "phantom";

  /** (i) A reader saw a writer's writes to a key out of that writer's order. */
  public static final String WRITER_ORDER = "writer order (i)";

  /** (ii) A stream of gets or notifications went back to an older value. */
  public static final String MONOTONIC = "monotonic (ii)";

  /** (iii) A get returned a value older than a write the client knew had caused what it saw. */
  public static final String CAUSAL_PAST = "causal past (iii)";

  /** (iv) Clients read different states after quiescence. */
  public static final String DIVERGENCE = "convergence (iv)";

  /** (iv) The final state lost a landed (or acknowledged) write. */
  public static final String LOST_WRITE = "lost write (iv)";

  private final @Nullable Duration clockMargin;

  private CausalChecker(@Nullable Duration clockMargin) {
    this.clockMargin = clockMargin;
  }

  /** A checker of the rules that need no clock. */
  public static CausalChecker create() {
    return new CausalChecker(null);
  }

  /**
   * A checker that also knows the writers' clocks agree (one machine's clock): a write that began
   * more than {@code margin} after another ended must win last-writer-wins over it.
   */
  public static CausalChecker withSynchronizedClocks(Duration margin) {
    if (margin.isNegative()) {
      throw new IllegalArgumentException("margin must not be negative, was " + margin);
    }
    return new CausalChecker(margin);
  }

  /**
   * Checks a history.
   *
   * @throws IllegalArgumentException when two writes put one value to one key, or the history holds
   *     a compare-and-set
   */
  public CheckResult check(History history) {
    List<Operation> operations = history.operations();
    List<Notification> notifications = history.notifications();
    Map<Integer, Map<String, @Nullable String>> finals = history.finalStates();
    int clients = 1;
    for (Operation op : operations) {
      clients = Math.max(clients, op.client() + 1);
    }
    for (Notification n : notifications) {
      clients = Math.max(clients, n.client() + 1);
    }
    CausalWrites writes = new CausalWrites(operations);
    markLanded(writes, operations, notifications);
    CausalSweep sweep = new CausalSweep(writes, clients);
    sweep.run(operations, notifications);
    List<Violation> violations = new ArrayList<>(sweep.violations());
    if (!finals.isEmpty()) {
      converged(writes, finals, violations);
    }
    return new CheckResult(violations, operations.size(), notifications.size());
  }

  private static void markLanded(
      CausalWrites writes, List<Operation> operations, List<Notification> notifications) {
    for (Operation op : operations) {
      if (op.call().kind() == Call.Kind.GET && op.acknowledged() && op.read() != null) {
        Write x = writes.ofValue(op.key(), op.read());
        if (x != null && !CausalSweep.tentative(x, op.client(), op.invoke())) {
          x.landed = true;
        }
      }
    }
    for (Notification n : notifications) {
      Write x = n.value() == null ? null : writes.ofValue(n.key(), n.value());
      if (x != null && !CausalSweep.tentative(x, n.client(), Long.MIN_VALUE)) {
        x.landed = true;
      }
    }
  }

  private void converged(
      CausalWrites writes,
      Map<Integer, Map<String, @Nullable String>> finals,
      List<Violation> violations) {
    Map.Entry<Integer, Map<String, @Nullable String>> first = finals.entrySet().iterator().next();
    Map<String, @Nullable String> reference = first.getValue();
    Set<String> keys = new TreeSet<>();
    finals.values().forEach(state -> keys.addAll(state.keySet()));
    for (Map.Entry<Integer, Map<String, @Nullable String>> other : finals.entrySet()) {
      for (String key : keys) {
        String mine = reference.get(key);
        String theirs = other.getValue().get(key);
        if (!Objects.equals(mine, theirs)) {
          violations.add(
              new Violation(
                  DIVERGENCE,
                  String.format(
                      "after quiescence c%d reads %s = %s but c%d reads %s",
                      first.getKey(), key, Call.show(mine), other.getKey(), Call.show(theirs))));
        }
      }
    }
    for (String key : keys) {
      String value = reference.get(key);
      Violation lost = value == null ? lostByAbsent(writes, key) : lostByValue(writes, key, value);
      if (lost != null) {
        violations.add(lost);
      }
    }
  }

  /** Why the final value of a key loses a write, or null. */
  private @Nullable Violation lostByValue(CausalWrites writes, String key, String value) {
    Write x = writes.ofValue(key, value);
    String state = "after quiescence " + key + " = " + value;
    if (x == null) {
      return new Violation(PHANTOM, state + ", which no write wrote");
    }
    for (Write f : writes.on(key)) {
      if (f.landed && CausalWrites.happensBefore(x, f)) {
        return new Violation(
            LOST_WRITE, state + ", older than " + f + ", which landed (" + x + " happens before)");
      }
      if (clockMargin != null && f.acknowledged() && f != x && endedBefore(x, f)) {
        return new Violation(
            LOST_WRITE, state + ": " + x + " ended before acknowledged " + f + " began");
      }
    }
    return null;
  }

  /** Why a key absent in the final state loses a write, or null. */
  private @Nullable Violation lostByAbsent(CausalWrites writes, String key) {
    List<Write> deletes = writes.deletesBefore(key, Long.MAX_VALUE);
    String state = "after quiescence " + key + " is absent";
    for (Write f : writes.on(key)) {
      if (f.op.call().values().get(key) == null) {
        continue;
      }
      if (f.landed && CausalWrites.allBefore(deletes, f)) {
        return new Violation(
            LOST_WRITE, state + ", but " + f + " landed and every delete of it happens before");
      }
      if (clockMargin != null && f.acknowledged() && allEndedBefore(deletes, f)) {
        return new Violation(
            LOST_WRITE,
            state + ", but every delete of it ended before acknowledged " + f + " began");
      }
    }
    return null;
  }

  private boolean allEndedBefore(List<Write> deletes, Write f) {
    for (Write d : deletes) {
      if (!endedBefore(d, f)) {
        return false;
      }
    }
    return true;
  }

  private boolean endedBefore(Write a, Write b) {
    long end = a.op.responseNanos();
    return end != Long.MAX_VALUE
        && end + Objects.requireNonNull(clockMargin).toNanos() < b.op.invokeNanos();
  }
}
