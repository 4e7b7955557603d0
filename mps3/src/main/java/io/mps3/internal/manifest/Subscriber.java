package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Exception;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One subscription: what it last delivered per key (written under the manifest's lock; removed
 * atomically when a value could not be read, so the next refresh delivers it again), and its
 * mailbox of deliveries.
 *
 * <p>The mailbox is a queue in log order, bounded: when a slow listener lets it grow past {@link
 * #BOUND} deliveries, it is compacted to the latest delivery per key (in the order of those), so
 * the listener skips intermediate values instead of memory growing without bound; it then holds at
 * most one delivery per key it watches, plus one error. One turn at a time runs the mailbox on the
 * callback executor ({@link Deliveries}); a value still being read holds back the deliveries behind
 * it. The monitor of this object guards the mailbox and is never held while calling a listener.
 */
public final class Subscriber {

  /** The token of an absent key. */
  public static final String ABSENT = "absent";

  /** The mailbox key of a pending error; no document key has a NUL. */
  private static final String ERROR = "\0error";

  /** How many deliveries may wait before the mailbox keeps only the latest of each key. */
  static final int BOUND = 10_000;

  /** How many deliveries a turn makes before yielding its thread to others of the executor. */
  private static final int TURN = 64;

  private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

  private final String manifestKey;
  private final Deliveries deliveries;
  final String key;
  final boolean prefix;
  final DocumentListener listener;
  final Map<String, String> delivered = new ConcurrentHashMap<>();
  volatile boolean closed;

  private final ArrayDeque<Delivery> mailbox = new ArrayDeque<>();
  private int compactAt = BOUND;
  private boolean turnTaken; // a turn is scheduled, running, or waiting for a value
  private @Nullable CompletableFuture<?> waitingFor;

  private record Delivery(
      String key,
      @Nullable String token,
      CompletableFuture<@Nullable JsonNode> value,
      @Nullable Mps3Exception error) {}

  public Subscriber(
      String manifestKey,
      String key,
      boolean prefix,
      DocumentListener listener,
      Deliveries deliveries) {
    this.manifestKey = manifestKey;
    this.key = key;
    this.prefix = prefix;
    this.listener = listener;
    this.deliveries = deliveries;
  }

  /** Records a token to deliver; false when it was already delivered. Under the lock. */
  boolean deliver(String k, String token) {
    String last = delivered.get(k);
    if (token.equals(last) || (last == null && prefix && token.equals(ABSENT))) {
      return false;
    }
    if (prefix && token.equals(ABSENT)) {
      delivered.remove(k); // absent needs no memory under a prefix: keeps the map bounded
    } else {
      delivered.put(k, token);
    }
    return true;
  }

  /**
   * The pending write delivered under {@code pendingToken} is now these versions: nothing new to
   * deliver. Under the lock.
   */
  public void confirm(String pendingToken, Map<String, String> versions) {
    delivered.replaceAll(
        (k, token) ->
            token.equals(pendingToken) && versions.containsKey(k) ? versions.get(k) : token);
  }

  /** How many deliveries wait in the mailbox (the one being made is no longer in it). */
  synchronized int backlog() {
    return mailbox.size();
  }

  /** Queues a value's delivery (called under the manifest's lock, so offers follow its order). */
  void offer(String k, String token, CompletableFuture<@Nullable JsonNode> value) {
    post(new Delivery(k, token, value, null));
  }

  /** Queues an error's delivery. */
  void error(Mps3Exception error) {
    post(new Delivery(ERROR, null, CompletableFuture.completedFuture(null), error));
  }

  private void post(Delivery delivery) {
    boolean schedule;
    synchronized (this) {
      mailbox.add(delivery);
      boolean headDropped = mailbox.size() > compactAt && compact();
      if (headDropped && waitingFor != null) {
        waitingFor = null; // the value waited for is no longer wanted: go on with the next
        schedule = true;
      } else {
        schedule = !turnTaken;
      }
      turnTaken = true;
    }
    if (schedule) {
      deliveries.schedule(this::turn);
    }
  }

  /**
   * Keeps only the latest delivery of each key, in the order of those; true when the head was
   * dropped. Under this object's monitor.
   */
  private boolean compact() {
    Delivery head = mailbox.peekFirst();
    LinkedHashMap<String, Delivery> latest = new LinkedHashMap<>();
    for (Delivery d : mailbox) {
      latest.remove(d.key);
      latest.put(d.key, d);
    }
    mailbox.clear();
    mailbox.addAll(latest.values());
    compactAt = Math.max(BOUND, 2 * mailbox.size()); // many keys: compact again only when doubled
    return !Objects.equals(mailbox.peekFirst(), head);
  }

  /** Delivers what the mailbox holds, in order, until it is empty or waits for a value. */
  @SuppressWarnings("FutureReturnValueIgnored") // resume() runs whatever the value's outcome
  private void turn() {
    for (int made = 0; ; made++) {
      Delivery next;
      synchronized (this) {
        if (waitingFor != null) {
          return; // a stale turn: another one runs when the value arrives
        }
        next = mailbox.peekFirst();
        if (closed || next == null) {
          mailbox.clear();
          turnTaken = false;
          return;
        }
        if (next.value.isDone() && made < TURN) {
          mailbox.removeFirst();
        } else if (made >= TURN) {
          next = null; // yield the executor's thread; the next turn goes on
        } else {
          waitingFor = next.value;
        }
      }
      if (next == null) {
        deliveries.schedule(this::turn);
        return;
      }
      if (!next.value.isDone()) {
        CompletableFuture<?> awaited = next.value;
        awaited.whenComplete((v, e) -> resume(awaited));
        return;
      }
      deliver(next);
    }
  }

  private void resume(CompletableFuture<?> awaited) {
    synchronized (this) {
      if (waitingFor != awaited) {
        return; // replaced meanwhile: its replacement's turn was scheduled then
      }
      waitingFor = null;
    }
    deliveries.schedule(this::turn);
  }

  private void deliver(Delivery d) {
    if (d.error != null) {
      Mps3Exception error = d.error;
      call(() -> listener.onError(error));
      return;
    }
    JsonNode value;
    try {
      value = d.value.join();
    } catch (RuntimeException e) {
      Mps3Exception error = Errors.translate(e);
      if (d.token != null && error.isRetryable()) {
        delivered.remove(d.key, d.token); // not delivered: try again next time
      }
      // Otherwise the version stays delivered: a read that cannot succeed (a key another client
      // wrote too long to read, issue #18) is reported once per version, not on every poll.
      call(() -> listener.onError(error));
      return;
    }
    call(() -> listener.onChange(DocumentChange.of(manifestKey, d.key, value, deliveries.mapper)));
  }

  private void call(Runnable callback) {
    if (closed) {
      return;
    }
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "MPS3: a listener of " + key + " threw; it stays subscribed",
          e);
    }
  }
}
