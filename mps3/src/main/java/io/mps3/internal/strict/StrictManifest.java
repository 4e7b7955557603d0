package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.DocumentListener;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.content.CausalContent;
import io.mps3.internal.content.ContentCache;
import io.mps3.internal.content.ContentReader;
import io.mps3.internal.manifest.Deliveries;
import io.mps3.internal.manifest.Errors;
import io.mps3.internal.manifest.Manifest;
import io.mps3.internal.manifest.ManifestReadable;
import io.mps3.internal.manifest.SerialChain;
import io.mps3.internal.manifest.Subscriber;
import io.mps3.internal.manifest.Subscribers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
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
public final class StrictManifest implements Manifest {

  private static final System.Logger LOG = System.getLogger(StrictManifest.class.getName());

  final String manifestKey;
  final String bucket;
  final StrictLog log;
  final StrictSettings settings;
  final Clock clock;
  final ScheduledExecutorService scheduler;
  private final ContentReader reader;
  private final Deliveries deliveries;
  private final Supplier<CompletableFuture<Void>> storeChecked;
  private final StrictCommitter committer;
  final Contention contention;

  final Object lock = new Object();
  private @Nullable StrictState state;
  private @Nullable CompletableFuture<Void> opening;
  private long verifiedAt;
  private final Subscribers subs;
  private final SerialChain chain;
  private final ManifestReadable readable = new StrictReadable(this);
  boolean closed;

  StrictManifest(
      String manifestKey,
      String bucket,
      StrictLog log,
      StrictSettings settings,
      String session,
      CausalContent content,
      ContentCache contents,
      Clock clock,
      ObjectMapper mapper,
      Deliveries deliveries,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      Supplier<CompletableFuture<Void>> storeChecked) {
    this.manifestKey = manifestKey;
    this.bucket = bucket;
    this.log = log;
    this.settings = settings;
    this.reader = new ContentReader(bucket, content, contents, mapper);
    this.clock = clock;
    this.deliveries = deliveries;
    this.scheduler = scheduler;
    this.chain = new SerialChain(scheduler);
    this.subs =
        new Subscribers(
            lock, manifestKey, scheduler, pollInterval, () -> refresh().exceptionally(e -> null));
    this.storeChecked = storeChecked;
    this.contention = new Contention(session);
    this.committer = new StrictCommitter(this, session);
  }

  // -- reads ------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Optional<JsonNode>> get(String key) {
    return getVersioned(key).thenApply(v -> v.map(Versioned::value));
  }

  /** The value and version of a key, after this client's writes of it and a look at the log. */
  public CompletableFuture<Optional<Versioned>> getVersioned(String key) {
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

  @Override
  public CompletableFuture<List<String>> keys(String prefix) {
    return committer
        .settled(null)
        .thenCompose(ignored -> refresh())
        .thenApply(
            ignored -> {
              synchronized (lock) {
                return List.copyOf(readable.keysUnder(prefix)); // sorted, as the state is
              }
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

  @Override
  public boolean quiet() {
    synchronized (lock) {
      return subs.isEmpty() && chain.idle() && committer.idle();
    }
  }

  @Override
  public CompletableFuture<Void> catchUp() {
    return refresh();
  }

  /**
   * Reads the log up to its newest slot (coalescing with a refresh that has not started yet, so a
   * read always sees what was committed before it was called) and notifies subscriptions.
   */
  CompletableFuture<Void> refresh() {
    // Even right after opening, look at the next slot: a listing may lag.
    return chain.refresh(
        () ->
            CompletableFuture.completedFuture(null)
                .thenCompose(x -> opened()) // a synchronous throw becomes a failure
                .thenCompose(x -> follow())
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
    List<Runnable> passed;
    synchronized (lock) {
      StrictState old = state;
      if (old != null && old.tip() >= loaded.tip()) {
        return;
      }
      state = loaded;
      verifiedAt = clock.millis();
      subs.offer(readable, null); // every watched key: those gone since get their absence
      passed = committer.unknowns.passedBy(loaded.tip());
    }
    passed.forEach(Runnable::run);
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
              StrictFollower.step(this, done);
              return done;
            });
  }

  /** The log was seen to end at the tip at local time {@code millis}. */
  void verifiedAt(long millis) {
    synchronized (lock) {
      verifiedAt = Math.max(verifiedAt, millis);
    }
  }

  void verified(long emptySlot) {
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
    List<String> superseded = new ArrayList<>();
    StrictCommitter.Outcome outcome;
    Runnable fate;
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
      contention.noteWriter(entry);
      outcome = committer.applied(entry, s);
      fate = committer.unknowns.settle(entry, s, superseded); // a write reported unknown
      List<String> changed = new ArrayList<>();
      for (String url : entry.files().keySet()) {
        String key = CausalLayout.dbKey(bucket, url);
        if (key != null) {
          changed.add(key);
        }
      }
      subs.offer(readable, changed);
    }
    if (outcome != null) {
      outcome.finish(superseded);
    }
    if (fate != null) {
      fate.run();
    }
  }

  // -- writes -----------------------------------------------------------------------------------

  /** Commits a write; true once committed, false when one of its preconditions failed. */
  CompletableFuture<Boolean> write(StrictWrite write) {
    return committer.submit(write);
  }

  // -- subscriptions ----------------------------------------------------------------------------

  @Override
  public Subscription subscribe(String keyOrPrefix, boolean prefix, DocumentListener listener) {
    Subscriber sub = new Subscriber(manifestKey, keyOrPrefix, prefix, listener, deliveries);
    Subscription handle;
    synchronized (lock) {
      handle = subs.add(sub);
      if (state != null) {
        subs.offerTo(sub, readable, null);
      }
    }
    refresh().exceptionally(e -> null);
    return handle;
  }

  /** Stops polling and fails the writes not yet committed; used when the client closes. */
  @Override
  public void stop() {
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
