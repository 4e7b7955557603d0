package io.mps3.testkit.history;

import static io.mps3.testkit.history.CausalWrites.allBefore;
import static io.mps3.testkit.history.CausalWrites.happensBefore;

import io.mps3.testkit.history.CausalWrites.Write;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One pass of {@link CausalChecker} over a history's events in order: it assigns each write its
 * vector clock at its invocation, and judges each observation (a get's answer, a notification)
 * against rules (i) to (iii) as the checker's documentation states them. Not thread-safe.
 */
final class CausalSweep {

  private record Event(long at, int type, int index) {}

  private record StreamId(int client, int subscription, String key) {}

  /** What one client observed of one key through one source (gets, or one subscription). */
  private static final class Stream {
    final List<Write> seen = new ArrayList<>();
    final Set<Write> seenSet = new HashSet<>();
    final Map<Integer, Write> latestByWriter = new HashMap<>();
    @Nullable Write last;

    void saw(Write x) {
      if (seenSet.add(x)) {
        seen.add(x);
      }
      latestByWriter.merge(x.writer, x, (a, b) -> a.index >= b.index ? a : b);
      last = x;
    }
  }

  private static final int INVOKE = 0;
  private static final int RESPONSE = 1;
  private static final int NOTIFY = 2;
  private static final int GETS = -1;

  private final CausalWrites writes;
  private final int[][] clocks;
  private final List<List<Write>> seen = new ArrayList<>();
  private final List<Set<Write>> seenSets = new ArrayList<>();
  private final Map<Integer, int[]> knowledgeAtInvoke = new HashMap<>();
  private final Map<StreamId, Stream> streams = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();

  CausalSweep(CausalWrites writes, int clients) {
    this.writes = writes;
    this.clocks = new int[clients][clients];
    for (int c = 0; c < clients; c++) {
      seen.add(new ArrayList<>());
      seenSets.add(new HashSet<>());
    }
  }

  /**
   * Whether {@code client}'s observation of {@code x} is tentative: x is the client's own write,
   * not acknowledged, and the observation may predate x's failure ({@code invokedAt} is when the
   * observing get began; {@link Long#MIN_VALUE} for a notification, which may have been queued at
   * any time).
   */
  static boolean tentative(Write x, int client, long invokedAt) {
    return x.writer == client && !x.acknowledged() && invokedAt < x.op.response();
  }

  List<Violation> violations() {
    return violations;
  }

  void run(List<Operation> operations, List<Notification> notifications) {
    List<Event> events = new ArrayList<>();
    for (Operation op : operations) {
      events.add(new Event(op.invoke(), INVOKE, op.id()));
      if (op.response() != Long.MAX_VALUE) {
        events.add(new Event(op.response(), RESPONSE, op.id()));
      }
    }
    for (int i = 0; i < notifications.size(); i++) {
      events.add(new Event(notifications.get(i).at(), NOTIFY, i));
    }
    events.sort(Comparator.comparingLong(Event::at));
    for (Event e : events) {
      if (e.type() == NOTIFY) {
        Notification n = notifications.get(e.index());
        Stream stream = stream(n.client(), n.subscription(), n.key());
        String source = "subscription " + n.subscription();
        observe(n.client(), source, stream, n.key(), n.value(), n.at(), Long.MIN_VALUE, null);
        continue;
      }
      Operation op = operations.get(e.index());
      int c = op.client();
      boolean get = op.call().kind() == Call.Kind.GET;
      if (e.type() == INVOKE && get) {
        knowledgeAtInvoke.put(op.id(), clocks[c].clone());
      } else if (e.type() == INVOKE) {
        Write w = writes.ofOperation(op.id());
        if (w != null) {
          clocks[c][c] = w.index;
          w.clock = clocks[c].clone();
        }
      } else if (get && op.acknowledged()) {
        Stream stream = stream(c, GETS, op.key());
        int[] knowledge = knowledgeAtInvoke.remove(op.id());
        observe(
            c,
            "get #" + op.id(),
            stream,
            op.key(),
            op.read(),
            op.response(),
            op.invoke(),
            knowledge);
      }
    }
  }

  private Stream stream(int client, int subscription, String key) {
    return streams.computeIfAbsent(new StreamId(client, subscription, key), id -> new Stream());
  }

  private void observe(
      int client,
      String source,
      Stream stream,
      String key,
      @Nullable String value,
      long at,
      long invokedAt,
      int @Nullable [] knowledge) {
    String what = "c" + client + " " + source + " saw " + key + " = " + Call.show(value);
    if (value == null) {
      absent(client, what, stream, key, at, knowledge);
      return;
    }
    Write x = writes.ofValue(key, value);
    if (x == null || x.op.invoke() > at) {
      violations.add(
          new Violation(
              CausalChecker.PHANTOM,
              what + (x == null ? ", which no write wrote" : ", before " + x + " began")));
      return;
    }
    if (tentative(x, client, invokedAt)) {
      return;
    }
    Violation v = judge(client, what, stream, key, x, knowledge);
    if (v != null) {
      violations.add(v);
    }
    stream.saw(x);
    int[] mine = clocks[client];
    int[] theirs = x.clock;
    for (int i = 0; theirs != null && i < mine.length; i++) {
      mine[i] = Math.max(mine[i], theirs[i]);
    }
    if (seenSets.get(client).add(x)) {
      seen.get(client).add(x);
    }
  }

  /** Rules (i) to (iii) for value {@code x} of {@code key}; the first broken one, or null. */
  private @Nullable Violation judge(
      int client, String what, Stream stream, String key, Write x, int @Nullable [] knowledge) {
    Write later = stream.latestByWriter.get(x.writer);
    if (later != null && later.index > x.index) {
      return new Violation(
          CausalChecker.WRITER_ORDER,
          what + " after " + later + ", which its writer c" + x.writer + " wrote later");
    }
    for (Write y : stream.seen) {
      if (happensBefore(x, y)) {
        return new Violation(
            CausalChecker.MONOTONIC, what + ", older than " + y + ", which it saw before");
      }
    }
    Write last = stream.last;
    if (stream.seenSet.contains(x) && last != null && last != x) {
      return new Violation(
          CausalChecker.MONOTONIC, what + " again after " + last + " had replaced it");
    }
    if (knowledge == null) {
      return null;
    }
    for (Write f : writes.on(key)) {
      if (f.landed && f != x && known(client, f, knowledge) && happensBefore(x, f)) {
        return new Violation(
            CausalChecker.CAUSAL_PAST,
            what + ", older than " + f + ", which it knew of " + witness(client, f));
      }
    }
    return null;
  }

  /** Rules (ii) and (iii) for an absent value: judged against every delete it could come from. */
  private void absent(
      int client, String what, Stream stream, String key, long at, int @Nullable [] knowledge) {
    List<Write> candidates = writes.deletesBefore(key, at);
    String from = " (no delete of " + key + " begun before it is newer)";
    for (Write y : stream.seen) {
      if (allBefore(candidates, y)) {
        violations.add(new Violation(CausalChecker.MONOTONIC, what + " after " + y + from));
        return;
      }
    }
    if (knowledge == null) {
      return;
    }
    for (Write f : writes.on(key)) {
      if (f.landed && known(client, f, knowledge) && allBefore(candidates, f)) {
        violations.add(
            new Violation(
                CausalChecker.CAUSAL_PAST,
                what + ", but it knew of " + f + " " + witness(client, f) + from));
        return;
      }
    }
  }

  /**
   * Whether {@code client} knew of {@code f} by {@code knowledge} (its clock when a get began): f
   * is in that clock; and f is not its own unacknowledged write, unless it observed f since.
   */
  private boolean known(int client, Write f, int[] knowledge) {
    return f.index <= knowledge[f.writer]
        && (f.writer != client || f.acknowledged() || seenSets.get(client).contains(f));
  }

  /** How the client came to know of {@code f}, for messages. */
  private String witness(int client, Write f) {
    if (f.writer == client && f.acknowledged()) {
      return "(its own acknowledged write)";
    }
    for (Write w : seen.get(client)) {
      if (w == f) {
        return "(it had seen it)";
      }
      if (happensBefore(f, w)) {
        return "(in the causal past of " + w + ", which it had seen)";
      }
    }
    return "(in its causal past)";
  }
}
