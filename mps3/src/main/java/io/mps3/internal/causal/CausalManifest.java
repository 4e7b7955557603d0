package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.content.CausalContent;
import io.mps3.internal.content.ContentCache;
import io.mps3.internal.content.ContentReader;
import io.mps3.internal.manifest.Deliveries;
import io.mps3.internal.manifest.Manifest;
import io.mps3.internal.manifest.ManifestProtocol;
import io.mps3.internal.manifest.SerialChain;
import io.mps3.internal.manifest.Subscriber;
import io.mps3.internal.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The causal protocol's side of one manifest (PROTOCOL part A): the resolved view and this client's
 * pending writes on top of it.
 *
 * <p>Every change of the view (a refresh, a commit) runs on the manifest's chain, one at a time, so
 * a stale read can never overwrite a newer write. Pending writes mask the view until their commit
 * lands: reads see this client's writes at once. A commit first re-reads the marker when the view
 * was last checked more than {@link #LIST_FRESHNESS} ago, so an entry's view of the map is never
 * older than that (the replay window covers writes since). Lock: the manifest's, {@code lock},
 * guards the fields below it.
 */
final class CausalManifest implements ManifestProtocol {

  /** The most a writer's last LIST may lag behind when it commits (the window is 5 s). */
  static final Duration LIST_FRESHNESS = Duration.ofSeconds(3);

  private final Manifest manifest;
  final String bucket;
  final CausalLog log;
  final ContentCache contents;
  final Clock clock;
  final CommitRecovery recovery;
  final Metrics metrics;
  private final ContentReader reader;
  private final CausalCommitter committer = new CausalCommitter(this);

  final Object lock;
  @Nullable CausalView view;
  final List<PendingWrite> pending = new ArrayList<>();
  boolean heldBack;
  boolean closed;

  CausalManifest(
      String manifestKey,
      CausalLog log,
      CausalContent content,
      ContentCache contents,
      Clock clock,
      ObjectMapper mapper,
      Deliveries deliveries,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      CommitRecovery recovery,
      Metrics metrics) {
    this.bucket = log.bucket();
    this.metrics = metrics;
    this.log = log;
    this.contents = contents;
    this.clock = clock;
    this.recovery = recovery;
    this.reader = new ContentReader(bucket, content, contents, mapper);
    this.manifest = new Manifest(manifestKey, scheduler, pollInterval, deliveries, m -> this);
    this.lock = manifest.lock();
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  SerialChain chain() {
    return manifest.chain();
  }

  // -- the state --------------------------------------------------------------------------------

  /**
   * Brings the view up to date, sends writes that waited for the store, and notifies. A view whose
   * newest entry is newer than any seen before reports the poll lag: that entry's age on the
   * store's clock (as this client knows it).
   */
  @Override
  public CompletableFuture<Void> resolve() {
    CausalView previous;
    synchronized (lock) {
      previous = view;
    }
    return log.refresh(previous)
        .thenAccept(
            v -> {
              synchronized (lock) {
                view = v;
              }
              if (metrics.on() && previous != null && v.newestTime() > previous.newestTime()) {
                long storeNow = clock.millis() + log.clockOffsetMillis();
                metrics.pollLag(manifest.key(), storeNow - v.newestTime());
              }
              committer.storeIsBack();
              manifest.offer(null);
            });
  }

  @Override
  public CompletableFuture<Void> settled(@Nullable String key) {
    return CompletableFuture.completedFuture(null); // reads see pending writes directly
  }

  @Override
  public @Nullable CompletableFuture<Optional<JsonNode>> pendingValue(String key) {
    PendingWrite write = latestPending(key);
    return write == null
        ? null
        : CompletableFuture.completedFuture(Optional.ofNullable(write.values.get(key)));
  }

  @Override
  public boolean known() {
    return view != null || !pending.isEmpty();
  }

  @Override
  public boolean idle() {
    return pending.isEmpty();
  }

  @Override
  public int pendingWrites() {
    return pending.size();
  }

  @Override
  public @Nullable String token(String key) {
    PendingWrite write = latestPending(key);
    if (write != null) {
      return write.values.get(key) == null ? Subscriber.ABSENT : write.token;
    }
    CausalView v = view;
    if (v == null) {
      return null; // nothing known of this key yet
    }
    String version = v.version(CausalLayout.fileUrl(bucket, key));
    return version == null ? Subscriber.ABSENT : version;
  }

  @Override
  public CompletableFuture<@Nullable JsonNode> value(String key) {
    PendingWrite write = latestPending(key);
    if (write != null) {
      return CompletableFuture.completedFuture(write.values.get(key));
    }
    CausalView v = view;
    return v == null ? CompletableFuture.completedFuture(null) : reader.valueAt(v, key);
  }

  @Override
  public Collection<String> keysUnder(String prefix) {
    TreeSet<String> keys = new TreeSet<>();
    CausalView v = view;
    if (v != null) {
      for (String url : v.fileUrls()) {
        String key = CausalLayout.dbKey(bucket, url);
        if (key != null && key.startsWith(prefix)) {
          keys.add(key);
        }
      }
    }
    for (PendingWrite write : pending) {
      for (String key : write.values.keySet()) {
        if (key.startsWith(prefix)) {
          keys.add(key);
        }
      }
    }
    return keys;
  }

  private @Nullable PendingWrite latestPending(String key) {
    for (int i = pending.size() - 1; i >= 0; i--) {
      if (pending.get(i).values.containsKey(key)) {
        return pending.get(i);
      }
    }
    return null;
  }

  // -- writes -----------------------------------------------------------------------------------

  /** Shows a write to reads and subscriptions at once, and commits it after those before it. */
  // Ignored futures: storeIsBack is a side effect; its stage has nobody to tell.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<Void> write(PendingWrite write) {
    synchronized (lock) {
      if (closed) {
        write.ended = true;
        write.done.completeExceptionally(recovery.closedFailure(write));
        return write.done;
      }
      pending.add(write);
      chain().queue(() -> committer.commit(write));
    }
    manifest.offer(null);
    if (!write.content.empty()) {
      write.content.storedOnce().thenRun(committer::storeIsBack); // the store took the content
    }
    return write.done;
  }

  /**
   * Fails the writes not yet in the bucket; used when the client closes. A write whose commit was
   * under way may still land: the failure says so.
   */
  @Override
  public void stop() {
    List<PendingWrite> unfinished;
    synchronized (lock) {
      closed = true;
      recovery.cancel();
      unfinished = List.copyOf(pending);
      pending.clear();
      unfinished.forEach(write -> write.ended = true);
    }
    for (PendingWrite write : unfinished) {
      write.done.completeExceptionally(recovery.closedFailure(write));
    }
  }
}
