package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Exception;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * One subscription: what it last delivered per key (written under the manifest's lock; removed
 * atomically when a value could not be read, so the next refresh delivers it again), and its queue
 * of deliveries, chained in the order they were queued. Lock order: the manifest's lock, then this
 * subscription's monitor; a delivery never takes the manifest's lock.
 */
final class Subscriber {

  /** The token of an absent key. */
  static final String ABSENT = "absent";

  private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

  private final String manifestKey;
  private final ObjectMapper mapper;
  private final Executor callbacks;
  final String key;
  final boolean prefix;
  final DocumentListener listener;
  final Map<String, String> delivered = new java.util.concurrent.ConcurrentHashMap<>();
  volatile boolean closed;
  private final java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  Subscriber(
      String manifestKey,
      String key,
      boolean prefix,
      DocumentListener listener,
      ObjectMapper mapper,
      Executor callbacks) {
    this.manifestKey = manifestKey;
    this.key = key;
    this.prefix = prefix;
    this.listener = listener;
    this.mapper = mapper;
    this.callbacks = callbacks;
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

  /** The pending write delivered is now this version: nothing new to deliver. Under the lock. */
  void confirm(PendingWrite write, Map<String, String> versions) {
    delivered.replaceAll(
        (k, token) ->
            token.equals(write.token) && versions.containsKey(k) ? versions.get(k) : token);
  }

  /** Queues a value's delivery. Under the manifest's lock, so queues follow its order. */
  void offer(String k, String token, CompletableFuture<@Nullable JsonNode> value) {
    synchronized (this) {
      queue.add(
          () ->
              tail =
                  tail.handle((r, e) -> null)
                      .thenCompose(ignored -> value)
                      .handleAsync(
                          (v, e) -> {
                            if (closed) {
                              return null;
                            }
                            if (e != null) {
                              delivered.remove(k, token); // not delivered: try again next time
                              call(() -> listener.onError(Errors.translate(e)));
                            } else {
                              call(
                                  () ->
                                      listener.onChange(
                                          DocumentChange.of(manifestKey, k, v, mapper)));
                            }
                            return null;
                          },
                          callbacks));
    }
  }

  /** Chains what was queued, in order. Outside the manifest's lock. */
  void drain() {
    synchronized (this) {
      for (Runnable next; (next = queue.poll()) != null; ) {
        next.run();
      }
    }
  }

  void error(Mps3Exception error) {
    synchronized (this) {
      queue.add(
          () ->
              tail =
                  tail.handleAsync(
                      (v, e) -> {
                        if (!closed) {
                          call(() -> listener.onError(error));
                        }
                        return null;
                      },
                      callbacks));
    }
    drain();
  }

  private void call(Runnable callback) {
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
