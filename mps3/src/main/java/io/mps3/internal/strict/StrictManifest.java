package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.Versioned;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.content.CausalContent;
import io.mps3.internal.content.ContentCache;
import io.mps3.internal.content.ContentReader;
import io.mps3.internal.feed.ChangeFeed;
import io.mps3.internal.manifest.Deliveries;
import io.mps3.internal.manifest.Manifest;
import io.mps3.internal.manifest.ManifestProtocol;
import io.mps3.internal.manifest.ManifestReadable;
import io.mps3.internal.manifest.Polling;
import io.mps3.internal.metrics.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The strict protocol's side of one manifest (PROTOCOL part B): the state after the newest slot
 * this client read, and the {@link StrictCommitter} that writes this client's entries.
 *
 * <p>Reads are linearizable: each read first reads the next slot (one GET: 404 means nothing new),
 * after this client's own writes of the key have committed. Subscriptions see every committed
 * change, entry by entry, in log order. Lock: the manifest's, {@code lock}, guards the fields below
 * it; nothing is called under it but collection code and {@link Manifest#offer}.
 */
public final class StrictManifest implements ManifestProtocol {

  private static final System.Logger LOG = System.getLogger(StrictManifest.class.getName());

  final String manifestKey;
  final String bucket;
  final StrictLog log;
  final StrictSettings settings;
  final Clock clock;
  final ScheduledExecutorService scheduler;
  private final ContentReader reader;
  private final Supplier<CompletableFuture<Void>> storeChecked;
  private final StrictCommitter committer;
  final Contention contention;
  final Metrics metrics;
  private final String session;

  /** The client's change feed, told of each commit of this client; null when off (0017). */
  final @Nullable ChangeFeed feed;

  private final Manifest manifest;
  final Object lock;

  /** The index of this client's last checkpoint once written (null if it failed). Under lock. */
  CompletableFuture<@Nullable StrictIndex> lastCheckpoint = CompletableFuture.completedFuture(null);

  private @Nullable StrictState state;
  private final StrictOpening opening;
  private long verifiedAt;
  private final ManifestReadable readable = new StrictReadable(this);
  private final StrictColdRead coldRead = new StrictColdRead(this);
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
      Polling polling,
      @Nullable ChangeFeed feed,
      Supplier<CompletableFuture<Void>> storeChecked,
      Metrics metrics) {
    this.manifestKey = manifestKey;
    this.metrics = metrics;
    this.session = session;
    this.bucket = bucket;
    this.log = log;
    this.settings = settings;
    this.reader = new ContentReader(bucket, content, contents, mapper);
    this.clock = clock;
    this.scheduler = scheduler;
    this.storeChecked = storeChecked;
    this.contention = new Contention(session);
    this.committer = new StrictCommitter(this, session);
    this.feed = feed;
    this.manifest = new Manifest(manifestKey, scheduler, polling, deliveries, m -> this);
    this.lock = manifest.lock();
    this.opening = new StrictOpening(lock, storeChecked);
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  // -- reads ------------------------------------------------------------------------------------

  /** The value and version of a key, after this client's writes of it and a look at the log. */
  public CompletableFuture<Optional<Versioned>> getVersioned(String key) {
    String url = CausalLayout.fileUrl(bucket, key);
    return committer.settled(key).thenCompose(ignored -> coldRead.versioned(url));
  }

  /** The current state, or null before it is opened. Under the lock. */
  @Nullable StrictState currentState() {
    return state;
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
  public CompletableFuture<Void> settled(@Nullable String key) {
    return committer.settled(key);
  }

  @Override
  public @Nullable CompletableFuture<Optional<JsonNode>> pendingValue(String key) {
    return null; // a read waits for this client's commits of the key instead (settled)
  }

  /** A plain get: read cold while the state is not open (design 0022); else null. */
  @Override
  public @Nullable CompletableFuture<Optional<JsonNode>> coldValue(String key) {
    return coldRead.value(CausalLayout.fileUrl(bucket, key));
  }

  @Override
  public boolean known() {
    return state != null;
  }

  @Override
  public boolean idle() {
    return committer.idle();
  }

  @Override
  public int pendingWrites() {
    return committer.pendingWrites();
  }

  @Override
  public @Nullable String token(String key) {
    return readable.token(key);
  }

  @Override
  public CompletableFuture<@Nullable JsonNode> value(String key) {
    return readable.value(key);
  }

  @Override
  public Collection<String> keysUnder(String prefix) {
    return readable.keysUnder(prefix);
  }

  /** Brings the state up to date now (on the manifest's chain) and notifies subscriptions. */
  CompletableFuture<Void> refresh() {
    return manifest.refresh();
  }

  /**
   * Reads the log up to its newest slot, opening it on first use; even right after opening, it
   * looks at the next slot, since a listing may lag.
   */
  @Override
  public CompletableFuture<Void> resolve() {
    return opened().thenCompose(x -> follow());
  }

  /** Completes once the state is loaded: the store checked, then the log opened (B2). */
  CompletableFuture<Void> opened() {
    return opened(log::open);
  }

  /** As {@link #opened()}, opening with {@code how} unless an open is under way. */
  CompletableFuture<Void> opened(Supplier<CompletableFuture<StrictState>> how) {
    StrictOpening.Start open;
    synchronized (lock) {
      open = startOpen(how);
    }
    return open.start(); // outside the lock, see StrictOpening
  }

  /** Under the lock: the open under way or a new one, to start once the lock is released. */
  StrictOpening.Start startOpen(Supplier<CompletableFuture<StrictState>> how) {
    return state != null
        ? new StrictOpening.Start(CompletableFuture.completedFuture(null), null)
        : opening.register(() -> reopen(how));
  }

  /**
   * Opens the log and adopts the state read. The log was seen to end at its tip when the open
   * started, not when it ended: cleanup may have passed it during a slow open.
   */
  private CompletableFuture<Void> reopen(Supplier<CompletableFuture<StrictState>> how) {
    long started = clock.millis();
    return how.get()
        .thenCompose(coldRead::caughtUp) // never older than a cold read's answer
        .thenAccept(loaded -> adopt(loaded, started));
  }

  /** Whether an open is under way. Under the lock. */
  boolean opening() {
    return opening.underWay();
  }

  /** Completes once the store was checked (design 0004), as an open needs. */
  CompletableFuture<Void> storeChecked() {
    return storeChecked.get();
  }

  /** Replaces the state with a newer one read from a checkpoint, and notifies what differs. */
  private void adopt(StrictState loaded, long started) {
    List<Runnable> passed;
    synchronized (lock) {
      StrictState old = state;
      if (old != null && old.tip() >= loaded.tip()) {
        return;
      }
      loaded.keepOps(settings.checkpointInterval()); // what the next checkpoint remembers
      state = loaded;
      verifiedAt = started;
      manifest.offer(null); // every watched key: those gone since get their absence
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
              return reopen(log::open);
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
    long lag = -1; // another session's entry: how long it took to reach this client
    synchronized (lock) {
      StrictState s = state();
      if (entry.seq() != s.tip() + 1) {
        return;
      }
      if (metrics.on() && !entry.writer().equals(session)) {
        lag = Math.max(0, clock.millis() - entry.ts());
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
      manifest.offer(changed);
    }
    if (lag >= 0) {
      metrics.pollLag(manifestKey, lag);
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

  /** Fails the writes not yet committed; used when the client closes. */
  @Override
  public void stop() {
    synchronized (lock) {
      closed = true;
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
    manifest.failedWrite(error);
  }
}
