package io.mps3.testkit.history;

import io.mps3.testkit.history.Operation.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A recorder of what clients did and saw: every operation's invocation and response, every change a
 * subscription delivered, and the state each client read once the system was quiet. Each event
 * takes the next number of one global sequence, so the history orders the events of all clients as
 * they were recorded.
 *
 * <p>The same calls build a history by hand in tests: the order of the calls is the order of the
 * events, so {@code invoke(a); invoke(b); ok(a); ok(b)} makes two overlapping operations.
 *
 * <p>Thread-safe.
 */
public final class History {

  private final List<Pending> operations = new ArrayList<>();
  private final List<Notification> notifications = new ArrayList<>();
  private final Map<Integer, Map<String, @Nullable String>> finalStates = new TreeMap<>();
  private long sequence;

  private History() {}

  /** An empty history. */
  public static History create() {
    return new History();
  }

  /** Records that {@code client} calls {@code call}; returns the operation's id. */
  public synchronized int invoke(int client, Call call) {
    Pending op = new Pending(operations.size(), client, call, ++sequence, System.nanoTime());
    operations.add(op);
    return op.id;
  }

  /** Records that a write or subscription succeeded. */
  public synchronized void ok(int op) {
    finish(find(op).kindIsNot(Call.Kind.GET, Call.Kind.COMPARE_AND_SET), Outcome.OK);
  }

  /** Records that a get returned {@code value} ({@code null}: absent). */
  public synchronized void read(int op, @Nullable String value) {
    finish(find(op).kindIs(Call.Kind.GET), Outcome.OK).read = value;
  }

  /** Records that a compare-and-set answered, having written its value or not. */
  public synchronized void swapped(int op, boolean swapped) {
    finish(find(op).kindIs(Call.Kind.COMPARE_AND_SET), Outcome.OK).swapped = swapped;
  }

  /** Records that an operation failed with certainly no effect. */
  public synchronized void failed(int op) {
    finish(find(op), Outcome.FAILED);
  }

  /** Records that an operation failed and may or may not have taken effect. */
  public synchronized void unknown(int op) {
    finish(find(op), Outcome.UNKNOWN);
  }

  /** Records that a subscription of {@code client} delivered {@code value} of {@code key}. */
  public synchronized void delivered(
      int client, int subscription, String key, @Nullable String value) {
    notifications.add(
        new Notification(client, subscription, key, value, ++sequence, System.nanoTime()));
  }

  /** Records what {@code client} reads, every key, once faults stopped and it refreshed. */
  public synchronized void finalState(int client, Map<String, @Nullable String> state) {
    finalStates.put(client, Collections.unmodifiableMap(new TreeMap<>(state)));
  }

  /**
   * The operations, in order of invocation. One that never answered is {@link Outcome#UNKNOWN} with
   * its response at {@link Long#MAX_VALUE}.
   */
  public synchronized List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    for (Pending op : operations) {
      out.add(op.toOperation());
    }
    return out;
  }

  /** The changes subscriptions delivered, in order. */
  public synchronized List<Notification> notifications() {
    return List.copyOf(notifications);
  }

  /** The final state read by each client that recorded one, by client. */
  public synchronized Map<Integer, Map<String, @Nullable String>> finalStates() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(finalStates));
  }

  /** The whole history, one event a line, in order: for failure reports. */
  @Override
  public synchronized String toString() {
    TreeMap<Long, String> lines = new TreeMap<>();
    for (Pending op : operations) {
      Operation o = op.toOperation();
      lines.put(o.invoke(), o.invoke() + " invoke " + o);
      if (o.response() != Long.MAX_VALUE) {
        lines.put(o.response(), o.response() + " return #" + o.id());
      }
    }
    for (Notification n : notifications) {
      lines.put(n.at(), n.at() + " notify " + n);
    }
    StringBuilder out = new StringBuilder();
    lines.values().forEach(line -> out.append(line).append('\n'));
    finalStates.forEach(
        (c, s) -> out.append("final c").append(c).append(' ').append(s).append('\n'));
    return out.toString();
  }

  private Pending find(int id) {
    if (id < 0 || id >= operations.size()) {
      throw new IllegalArgumentException("no operation #" + id);
    }
    Pending op = operations.get(id);
    if (op.outcome != null) {
      throw new IllegalStateException("operation #" + id + " already ended " + op.outcome);
    }
    return op;
  }

  private Pending finish(Pending op, Outcome outcome) {
    op.outcome = outcome;
    op.response = ++sequence;
    op.responseNanos = System.nanoTime();
    return op;
  }

  /** An operation being recorded. Guarded by the history's monitor. */
  private static final class Pending {
    final int id;
    final int client;
    final Call call;
    final long invoke;
    final long invokeNanos;
    @Nullable Outcome outcome;
    @Nullable String read;
    boolean swapped;
    long response = Long.MAX_VALUE;
    long responseNanos = Long.MAX_VALUE;

    Pending(int id, int client, Call call, long invoke, long invokeNanos) {
      this.id = id;
      this.client = client;
      this.call = call;
      this.invoke = invoke;
      this.invokeNanos = invokeNanos;
    }

    Pending kindIs(Call.Kind kind) {
      if (call.kind() != kind) {
        throw new IllegalStateException("operation #" + id + " is a " + call.kind());
      }
      return this;
    }

    Pending kindIsNot(Call.Kind... kinds) {
      for (Call.Kind kind : kinds) {
        if (call.kind() == kind) {
          throw new IllegalStateException(
              "operation #" + id + " is a " + kind + ": say what it returned");
        }
      }
      return this;
    }

    Operation toOperation() {
      return new Operation(
          id,
          client,
          call,
          outcome == null ? Outcome.UNKNOWN : outcome,
          read,
          swapped,
          invoke,
          response,
          invokeNanos,
          responseNanos);
    }
  }
}
