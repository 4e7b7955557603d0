package io.mps3.internal.manifest;

import io.mps3.Mps3Exception;
import io.mps3.Subscription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The subscriptions of one manifest (of either protocol), the poller that runs while there are any,
 * whether they were told of a failing poll, and the one path by which a state's changes become
 * deliveries ({@link #offer}). Guarded by the manifest's lock, which is passed in: the manifest
 * offers under that same lock, so offers follow the order of its states.
 */
public final class Subscribers {

  private static final System.Logger LOG = System.getLogger(Subscribers.class.getName());

  private final Object lock;
  private final String manifestKey;
  private final Polling polling;
  private final Runnable poll;
  private final List<Subscriber> subs = new ArrayList<>();
  private @Nullable Runnable poller; // stops the polling while there are subscriptions
  private boolean failing;

  public Subscribers(Object lock, String manifestKey, Polling polling, Runnable poll) {
    this.lock = lock;
    this.manifestKey = manifestKey;
    this.polling = polling;
    this.poll = poll;
  }

  /** Adds a subscription and starts polling if it is the first. Under the lock. */
  public Subscription add(Subscriber sub) {
    subs.add(sub);
    if (poller == null) {
      poller = polling.start(manifestKey, poll);
    }
    return () -> remove(sub);
  }

  private void remove(Subscriber sub) {
    synchronized (lock) {
      sub.closed = true;
      subs.remove(sub);
      if (subs.isEmpty() && poller != null) {
        poller.run();
        poller = null;
      }
    }
  }

  /** How many deliveries wait for the listeners, over every subscription. Under the lock. */
  public int backlog() {
    int sum = 0;
    for (Subscriber sub : subs) {
      sum += sub.backlog();
    }
    return sum;
  }

  /** Whether there is no subscription. Under the lock. */
  public boolean isEmpty() {
    return subs.isEmpty();
  }

  /**
   * Offers each subscription the keys of {@code changed} it watches whose token differs from what
   * it last got; every key it watches when {@code changed} is null (a new or reopened state). Under
   * the lock.
   */
  public void offer(ManifestReadable state, @Nullable Collection<String> changed) {
    for (Subscriber sub : subs) {
      offerTo(sub, state, changed);
    }
  }

  /** Offers one subscription what it has not got yet of {@code state}. Under the lock. */
  public void offerTo(
      Subscriber sub, ManifestReadable state, @Nullable Collection<String> changed) {
    Collection<String> keys;
    if (changed != null) {
      keys = changed;
    } else if (sub.prefix) {
      TreeSet<String> all = new TreeSet<>(state.keysUnder(sub.key));
      all.addAll(sub.delivered.keySet()); // a key gone since: its absence is delivered
      keys = all;
    } else {
      keys = List.of(sub.key);
    }
    for (String k : keys) {
      if (!(sub.prefix ? k.startsWith(sub.key) : k.equals(sub.key))) {
        continue;
      }
      String token = state.token(k);
      if (token != null && sub.deliver(k, token)) {
        sub.offer(k, token, state.value(k));
      }
    }
  }

  /** The live subscriptions. Under the lock. */
  public List<Subscriber> all() {
    return subs;
  }

  /** Stops polling and closes every subscription. Under the lock. */
  public void stop() {
    if (poller != null) {
      poller.run();
      poller = null;
    }
    subs.forEach(s -> s.closed = true);
    subs.clear();
  }

  /** A poll succeeded: the next failure is told again. */
  public void healthy() {
    synchronized (lock) {
      failing = false;
    }
  }

  /** A poll failed: tells every subscription, once per outage. */
  public void failed(Mps3Exception error) {
    List<Subscriber> toTell;
    synchronized (lock) {
      if (failing) {
        return;
      }
      failing = true;
      toTell = List.copyOf(subs);
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "manifest " + manifestKey + ": " + error.getMessage());
    toTell.forEach(sub -> sub.error(error));
  }

  /** A write failed: tells every subscription. */
  public void failedWrite(Mps3Exception error) {
    List<Subscriber> toTell;
    synchronized (lock) {
      toTell = List.copyOf(subs);
    }
    toTell.forEach(sub -> sub.error(error));
  }
}
