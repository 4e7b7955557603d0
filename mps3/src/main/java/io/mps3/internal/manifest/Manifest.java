package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentListener;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.Subscription;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One manifest as a client sees it, whatever its protocol: the reads, the subscriptions and their
 * poller, and the one chain on which its state changes, over a {@link ManifestProtocol} that holds
 * the state itself. Values it completes with are its own (the client copies them before handing
 * them out). Thread-safe.
 *
 * <p>Lock: {@link #lock()} guards the subscriptions and the protocol's state; the protocol takes it
 * too, and offers changes under it, so offers follow the order of states. Nothing is called under
 * it but collection code and {@link Subscriber#offer}, which only queues a delivery.
 */
public final class Manifest {

  private final String key;
  private final Object lock = new Object();
  private final SerialChain chain;
  private final Subscribers subs;
  private final Deliveries deliveries;
  private final ManifestProtocol protocol;

  /**
   * @param protocol makes the protocol side of this manifest; it may keep the manifest, not call it
   */
  public Manifest(
      String key,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      Deliveries deliveries,
      Function<Manifest, ManifestProtocol> protocol) {
    this(key, scheduler, Polling.every(scheduler, pollInterval), deliveries, protocol);
  }

  /**
   * @param polling how the subscriptions learn of changes: on a timer of its own, or a feed's
   * @param protocol makes the protocol side of this manifest; it may keep the manifest, not call it
   */
  public Manifest(
      String key,
      ScheduledExecutorService scheduler,
      Polling polling,
      Deliveries deliveries,
      Function<Manifest, ManifestProtocol> protocol) {
    this.key = key;
    this.chain = new SerialChain(scheduler);
    this.deliveries = deliveries;
    this.subs = new Subscribers(lock, key, polling, () -> refresh().exceptionally(e -> null));
    this.protocol = protocol.apply(this);
  }

  /** The manifest's key. */
  public String key() {
    return key;
  }

  /** The lock that guards the subscriptions and the protocol's state. */
  public Object lock() {
    return lock;
  }

  /** The chain on which refreshes and commits run, one at a time. */
  public SerialChain chain() {
    return chain;
  }

  // -- reads ------------------------------------------------------------------------------------

  /** The value of a key, this client's pending writes included; empty when absent. */
  public CompletableFuture<Optional<JsonNode>> get(String key) {
    synchronized (lock) {
      CompletableFuture<Optional<JsonNode>> pending = protocol.pendingValue(key);
      if (pending != null) {
        return pending;
      }
    }
    return protocol
        .settled(key)
        .thenCompose(
            ignored -> {
              CompletableFuture<Optional<JsonNode>> cold = protocol.coldValue(key);
              return cold != null
                  ? cold
                  : refresh()
                      .thenCompose(
                          x -> {
                            synchronized (lock) {
                              return protocol.value(key);
                            }
                          })
                      .thenApply(Optional::ofNullable);
            });
  }

  /** The keys that start with a prefix, sorted, this client's pending writes included. */
  public CompletableFuture<List<String>> keys(String prefix) {
    return protocol
        .settled(null)
        .thenCompose(ignored -> refresh())
        .thenApply(
            ignored -> {
              TreeSet<String> present = new TreeSet<>();
              synchronized (lock) {
                for (String k : protocol.keysUnder(prefix)) {
                  String token = protocol.token(k);
                  if (token != null && !token.equals(Subscriber.ABSENT)) {
                    present.add(k);
                  }
                }
              }
              return List.copyOf(present);
            });
  }

  /** Brings the manifest up to date now and delivers what changed. */
  public CompletableFuture<Void> catchUp() {
    return refresh();
  }

  /**
   * Brings the state up to date on the chain, coalescing with a refresh that has not started yet (a
   * read still sees what was committed before it asked); a failure is told to subscriptions once
   * per outage.
   */
  public CompletableFuture<Void> refresh() {
    return chain.refresh(
        () ->
            CompletableFuture.completedFuture(null)
                .thenCompose(ignored -> protocol.resolve()) // a synchronous throw fails it
                .handle(
                    (v, e) -> {
                      if (e != null) {
                        Mps3Exception error = Errors.translate(e);
                        subs.failed(error);
                        throw error;
                      }
                      subs.healthy();
                      return null;
                    }));
  }

  // -- subscriptions ----------------------------------------------------------------------------

  /**
   * Subscribes to a key, or to every key under a prefix: the subscription gets what is known now at
   * once, then each change a refresh finds.
   */
  public Subscription subscribe(String keyOrPrefix, boolean prefix, DocumentListener listener) {
    Subscriber sub = new Subscriber(key, keyOrPrefix, prefix, listener, deliveries);
    Subscription handle;
    synchronized (lock) {
      handle = subs.add(sub);
      if (protocol.known()) {
        subs.offerTo(sub, protocol, null);
      }
    }
    refresh().exceptionally(e -> null);
    return handle;
  }

  /**
   * Offers the subscriptions what changed: the keys of {@code changed}, or every key they watch
   * when null (a new or reopened state). The protocol calls it after each change of its state.
   */
  public void offer(@Nullable Collection<String> changed) {
    synchronized (lock) {
      if (protocol.known()) {
        subs.offer(protocol, changed);
      }
    }
  }

  /**
   * A write of this client was committed: subscriptions that got its value as a pending write take
   * the versions it was stored under as the same value, and do not get it again. Under the lock.
   */
  public void confirm(String token, Map<String, String> versions) {
    for (Subscriber sub : subs.all()) {
      sub.confirm(token, versions);
    }
  }

  /** A write failed: tells every subscription. */
  public void failedWrite(Mps3Exception error) {
    subs.failedWrite(error);
  }

  /** The store failed: tells every subscription, once per outage. */
  public void failed(Mps3Exception error) {
    subs.failed(error);
  }

  // -- levels, for metrics ---------------------------------------------------------------------

  /** How many writes of this client the bucket does not hold yet. */
  public int pendingWrites() {
    synchronized (lock) {
      return protocol.pendingWrites();
    }
  }

  /** How many deliveries wait for the listeners of this manifest's subscriptions. */
  public int subscriptionBacklog() {
    synchronized (lock) {
      return subs.backlog();
    }
  }

  // -- life -------------------------------------------------------------------------------------

  /**
   * Whether nothing would be lost by forgetting this manifest: no subscription, no write that the
   * bucket does not hold yet, nothing in flight.
   */
  public boolean quiet() {
    synchronized (lock) {
      return subs.isEmpty() && chain.idle() && protocol.idle();
    }
  }

  /** Stops polling, closes the subscriptions and fails what is unfinished; the client closes. */
  public void stop() {
    synchronized (lock) {
      subs.stop();
    }
    protocol.stop();
    chain.stop(new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", null));
  }
}
