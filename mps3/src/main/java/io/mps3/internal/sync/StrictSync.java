package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.DocumentListener;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.internal.protocol.CausalContent;
import io.mps3.internal.protocol.CausalLayout;
import io.mps3.internal.strict.StrictEntry;
import io.mps3.internal.strict.StrictLog;
import io.mps3.internal.strict.StrictSettings;
import io.mps3.internal.strict.StrictSlot;
import io.mps3.internal.strict.StrictState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One manifest under the strict protocol, as this client sees it: the state after the newest slot
 * it read, the subscriptions, and the {@link StrictCommitter} that writes this client's entries.
 *
 * <p>Reads are linearizable: each read first reads the next slot (one GET: 404 means nothing new),
 * after this client's own writes of the key have committed. Subscriptions see every committed
 * change, entry by entry, in log order. Lock: {@code lock} guards the fields below it; nothing is
 * called under it but collection code and {@link Subscriber#offer}.
 */
final class StrictSync {

  private static final System.Logger LOG = System.getLogger(StrictSync.class.getName());

  final String manifestKey;
  final String bucket;
  final StrictLog log;
  final StrictSettings settings;
  final Clock clock;
  final ScheduledExecutorService scheduler;
  private final ContentReader reader;
  private final ObjectMapper mapper;
  private final Executor callbacks;
  private final Supplier<CompletableFuture<Void>> storeChecked;
  private final StrictCommitter committer;
  private final String session;

  final Object lock = new Object();
  private @Nullable StrictState state;
  private @Nullable CompletableFuture<Void> opening;
  private long verifiedAt;
  private final Subscribers subs;
  private CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
  private @Nullable CompletableFuture<Void> queuedRefresh;
  boolean closed;

  StrictSync(
      String manifestKey,
      String bucket,
      StrictLog log,
      StrictSettings settings,
      String session,
      CausalContent content,
      ContentCache contents,
      Clock clock,
      ObjectMapper mapper,
      Executor callbacks,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      Supplier<CompletableFuture<Void>> storeChecked) {
    this.manifestKey = manifestKey;
    this.bucket = bucket;
    this.log = log;
    this.settings = settings;
    this.reader = new ContentReader(bucket, content, contents, mapper);
    this.clock = clock;
    this.mapper = mapper;
    this.callbacks = callbacks;
    this.scheduler = scheduler;
    this.subs =
        new Subscribers(
            lock, manifestKey, scheduler, pollInterval, () -> refresh().exceptionally(e -> null));
    this.storeChecked = storeChecked;
    this.session = session;
    this.committer = new StrictCommitter(this, session);
  }

  // -- reads ------------------------------------------------------------------------------------

  CompletableFuture<Optional<JsonNode>> get(String key) {
    return getVersioned(key).thenApply(v -> v.map(Versioned::value));
  }

  /** The value and version of a key, after this client's writes of it and a look at the log. */
  CompletableFuture<Optional<Versioned>> getVersioned(String key) {
    String url = CausalLayout.fileUrl(bucket, key);
    return committer
        .settled(key)
        .thenCompose(ignored -> refresh())
        .thenCompose(
            ignored -> {
              StrictSlot slot;
              synchronized (lock) {
                slot = state().slot(url);
              }
              if (slot == null) {
                return CompletableFuture.completedFuture(Optional.<Versioned>empty());
              }
              return valueOf(url, slot)
                  .thenApply(
                      value ->
                          value == null
                              ? Optional.<Versioned>empty()
                              : Optional.of(new Versioned(value, slot.seq())));
            });
  }

  CompletableFuture<List<String>> keys(String prefix) {
    return committer
        .settled(null)
        .thenCompose(ignored -> refresh())
        .thenApply(
            ignored -> {
              TreeSet<String> keys = new TreeSet<>();
              synchronized (lock) {
                String from = CausalLayout.fileUrl(bucket, prefix);
                for (String url : state().files().tailMap(from, true).keySet()) {
                  if (!url.startsWith(from)) {
                    break;
                  }
                  keys.add(url.substring(bucket.length() + 1));
                }
              }
              return List.copyOf(keys);
            });
  }

  /** The current state; only after {@link #opened()}. Under the lock. */
  StrictState state() {
    StrictState s = state;
    if (s == null) {
      throw new IllegalStateException("manifest " + manifestKey + " is not open yet");
    }
    return s;
  }

  /** The value a slot refers to: inline, or read from its content object (cached). */
  CompletableFuture<@Nullable JsonNode> valueOf(String url, StrictSlot slot) {
    String version = slot.contentVersion();
    if (version == null) { // a slot holds either a value or a content version
      return CompletableFuture.completedFuture(slot.value());
    }
    return reader.value(url.substring(bucket.length() + 1), version);
  }

  /**
   * Reads the log up to its newest slot (coalescing with a refresh that has not started yet, so a
   * read always sees what was committed before it was called) and notifies subscriptions.
   */
  CompletableFuture<Void> refresh() {
    synchronized (lock) {
      if (queuedRefresh != null) {
        return queuedRefresh;
      }
      CompletableFuture<Void> refreshed = new CompletableFuture<>();
      queuedRefresh = refreshed;
      chain =
          chain
              .handle((r, e) -> null)
              .thenCompose(
                  ignored -> {
                    synchronized (lock) {
                      queuedRefresh = null;
                    }
                    // Even right after opening, look at the next slot: a listing may lag.
                    return CompletableFuture.completedFuture(null)
                        .thenCompose(x -> opened()) // a synchronous throw becomes a failure
                        .thenCompose(x -> follow())
                        .whenComplete(
                            (v, e) -> {
                              if (e == null) {
                                subs.healthy();
                                refreshed.complete(null);
                              } else {
                                Mps3Exception error = Errors.translate(e);
                                subs.failed(error);
                                refreshed.completeExceptionally(error);
                              }
                            });
                  });
      return refreshed;
    }
  }

  /** Completes once the state is loaded: the store checked, then the log opened (B2). */
  // Ignored futures: the callback only resets `opening`; callers wait on `open` itself.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<Void> opened() {
    synchronized (lock) {
      if (state != null) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> open = opening;
      if (open == null) {
        open = storeChecked.get().thenCompose(ignored -> log.open()).thenAccept(this::adopt);
        opening = open;
        open.whenComplete(
            (v, e) -> {
              if (e != null) {
                synchronized (lock) {
                  opening = null; // the next call tries again
                }
              }
            });
      }
      return open;
    }
  }

  /** Replaces the state with a newer one read from a checkpoint, and notifies what differs. */
  private void adopt(StrictState loaded) {
    Set<Subscriber> touched = new LinkedHashSet<>();
    synchronized (lock) {
      StrictState old = state;
      if (old != null && old.tip() >= loaded.tip()) {
        return;
      }
      Set<String> urls = new LinkedHashSet<>(loaded.files().keySet());
      if (old != null) {
        urls.addAll(old.files().keySet());
      }
      state = loaded;
      verifiedAt = clock.millis();
      offerChanges(urls, touched);
      for (Subscriber sub : subs.all()) {
        offerTo(sub, matching(sub), touched); // a key absent from both still gets its first call
      }
    }
    touched.forEach(Subscriber::drain);
  }

  /**
   * Reads slot after slot until an empty one. A client that has not looked for longer than half the
   * cleanup grace first checks the head: entries it still needs may be gone, and an empty slot
   * would then be a lie.
   */
  CompletableFuture<Void> follow() {
    return validated()
        .thenCompose(
            ignored -> {
              CompletableFuture<Void> done = new CompletableFuture<>();
              step(done);
              return done;
            });
  }

  // Ignored futures: the callbacks complete `done` on every path; nobody waits on them.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void step(CompletableFuture<Void> done) {
    while (true) {
      long next;
      synchronized (lock) {
        next = state().tip() + 1;
      }
      CompletableFuture<@Nullable StrictEntry> read = log.read(next);
      if (!read.isDone()) {
        read.whenComplete(
            (entry, e) -> {
              if (e != null) {
                done.completeExceptionally(e);
              } else if (entry == null) {
                verified(next);
                done.complete(null);
              } else {
                apply(entry);
                step(done);
              }
            });
        return;
      }
      StrictEntry entry;
      try {
        entry = read.join();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (entry == null) {
        verified(next);
        done.complete(null);
        return;
      }
      apply(entry);
    }
  }

  /** The log was seen to end at the tip at local time {@code millis}. */
  void verifiedAt(long millis) {
    synchronized (lock) {
      verifiedAt = Math.max(verifiedAt, millis);
    }
  }

  private void verified(long emptySlot) {
    synchronized (lock) {
      if (state().tip() == emptySlot - 1) {
        verifiedAt = clock.millis();
      }
    }
  }

  /** Completes once the state is known to be within what cleanup keeps (see {@link #follow}). */
  CompletableFuture<Void> validated() {
    long tip;
    synchronized (lock) {
      long age = clock.millis() - verifiedAt;
      if (age >= 0 && age <= settings.grace().toMillis() / 2) { // a clock stepped back: check
        return CompletableFuture.completedFuture(null);
      }
      tip = state().tip();
    }
    return log.readHead()
        .thenCompose(
            head -> {
              if (head <= tip) {
                synchronized (lock) {
                  verifiedAt = clock.millis(); // nothing this client needs is cleaned up yet
                }
                return CompletableFuture.completedFuture(null);
              }
              LOG.log(
                  System.Logger.Level.DEBUG,
                  () -> "manifest " + manifestKey + ": stale at slot " + tip + ", reopening");
              return log.open().thenAccept(this::adopt);
            });
  }

  /**
   * Applies the entry of the next slot (others are ignored: a concurrent reader applied it first),
   * completes this client's writes it carries, and notifies subscriptions.
   */
  void apply(StrictEntry entry) {
    Set<Subscriber> touched = new LinkedHashSet<>();
    List<String> superseded = new ArrayList<>();
    StrictCommitter.Outcome outcome;
    synchronized (lock) {
      StrictState s = state();
      if (entry.seq() != s.tip() + 1) {
        return;
      }
      for (String url : entry.files().keySet()) {
        StrictSlot old = s.slot(url);
        if (old != null && old.contentVersion() != null) {
          superseded.add(
              CausalLayout.contentKey(url.substring(bucket.length() + 1), old.contentVersion()));
        }
      }
      s.apply(entry);
      noteWriter(entry);
      outcome = committer.applied(entry, s);
      offerChanges(entry.files().keySet(), touched);
    }
    touched.forEach(Subscriber::drain);
    if (outcome != null) {
      outcome.finish(superseded);
    }
  }

  // -- writes -----------------------------------------------------------------------------------

  /** How long contention lasts after a lost slot. */
  private static final long CONTENDED_NANOS = TimeUnit.SECONDS.toNanos(1);

  private volatile long contendedUntil = System.nanoTime();
  private volatile long createNanos = TimeUnit.MILLISECONDS.toNanos(5);

  private volatile long wroteAt = System.nanoTime() - CONTENDED_NANOS;

  /** Records that another writer took a slot this client tried. */
  void contended() {
    contendedUntil = System.nanoTime() + CONTENDED_NANOS;
  }

  /** Notes contention when another writer's entry follows one of this client's closely. */
  private void noteWriter(StrictEntry entry) {
    long now = System.nanoTime();
    if (entry.writer().equals(session)) {
      wroteAt = now;
    } else if (now - wroteAt < CONTENDED_NANOS) {
      contended();
    }
  }

  /** Records how long a create of a slot took (a moving average of the round trip). */
  void createTook(long nanos) {
    createNanos = (createNanos * 7 + nanos) / 8;
  }

  /** A random wait of up to two round trips while contended, else 0 (see StrictManifests). */
  long politeDelayMicros() {
    if (System.nanoTime() - contendedUntil > 0) {
      return 0;
    }
    return ThreadLocalRandom.current().nextLong(2 * createNanos / 1000 + 1);
  }

  /** Commits a write; true once committed, false when one of its preconditions failed. */
  CompletableFuture<Boolean> write(StrictWrite write) {
    return committer.submit(write);
  }

  // -- subscriptions ----------------------------------------------------------------------------

  Subscription subscribe(String keyOrPrefix, boolean prefix, DocumentListener listener) {
    Subscriber sub = new Subscriber(manifestKey, keyOrPrefix, prefix, listener, mapper, callbacks);
    Subscription handle;
    synchronized (lock) {
      handle = subs.add(sub);
      if (state != null) {
        Set<Subscriber> touched = new LinkedHashSet<>();
        offerTo(sub, matching(sub), touched);
      }
    }
    sub.drain();
    refresh().exceptionally(e -> null);
    return handle;
  }

  /** Offers the current value of each changed URL to the subscriptions it matches. Under lock. */
  private void offerChanges(Collection<String> urls, Set<Subscriber> touched) {
    for (Subscriber sub : subs.all()) {
      offerTo(sub, urls, touched);
    }
  }

  private void offerTo(Subscriber sub, Collection<String> urls, Set<Subscriber> touched) {
    StrictState s = state();
    for (String url : urls) {
      String key = CausalLayout.dbKey(bucket, url);
      if (key == null || !(sub.prefix ? key.startsWith(sub.key) : key.equals(sub.key))) {
        continue;
      }
      StrictSlot slot = s.slot(url);
      String token = slot == null ? Subscriber.ABSENT : "v" + slot.seq();
      if (sub.deliver(key, token)) {
        sub.offer(
            key,
            token,
            slot == null ? CompletableFuture.completedFuture(null) : valueOf(url, slot));
        touched.add(sub);
      }
    }
  }

  /** The URLs a new subscription starts with. Under lock. */
  private Collection<String> matching(Subscriber sub) {
    String url = CausalLayout.fileUrl(bucket, sub.key);
    if (!sub.prefix) {
      return List.of(url);
    }
    List<String> urls = new ArrayList<>();
    for (String u : state().files().tailMap(url, true).keySet()) {
      if (!u.startsWith(url)) {
        break;
      }
      urls.add(u);
    }
    return urls;
  }

  /** Stops polling and fails the writes not yet committed; used when the client closes. */
  void stop() {
    synchronized (lock) {
      closed = true;
      subs.stop();
    }
    committer.stop(
        new Mps3Exception(
            ErrorKind.CLOSED,
            "the client was closed before this write of manifest "
                + manifestKey
                + " was acknowledged by the bucket; it may still land",
            null));
  }

  /** Tells every subscription that a write failed. */
  void failedWrite(Mps3Exception error) {
    subs.failedWrite(error);
  }
}
