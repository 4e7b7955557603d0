package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.DocumentListener;
import io.mps3.Mps3Exception;
import io.mps3.Subscription;
import io.mps3.internal.protocol.CausalContent;
import io.mps3.internal.protocol.CausalLayout;
import io.mps3.internal.protocol.CausalLog;
import io.mps3.internal.protocol.CausalView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * One manifest as this client sees it: the resolved view, this client's pending writes on top, the
 * subscriptions, and the poller that keeps them up to date.
 *
 * <p>Every change of the view (a refresh, a commit) runs on one chain, one at a time, so a stale
 * read can never overwrite a newer write. Pending writes mask the view until their commit lands:
 * reads see this client's writes at once. A commit first re-reads the marker when the view was last
 * checked more than {@link #LIST_FRESHNESS} ago, so an entry's view of the map is never older than
 * that (the replay window covers writes since).
 *
 * <p>Subscriptions remember the version (or pending write) each key last delivered and deliver only
 * what differs, in order, on the callback executor, outside the lock. Lock: {@code lock} guards the
 * fields below it; nothing is called under it but collection code.
 */
final class ManifestSync {

  /** The most a writer's last LIST may lag behind when it commits (the window is 5 s). */
  static final Duration LIST_FRESHNESS = Duration.ofSeconds(3);

  private final String manifestKey;
  private final String bucket;
  private final CausalLog log;
  private final ContentCache contents;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final Executor callbacks;
  private final CommitRecovery recovery;
  private final ContentReader reader;

  private final Object lock = new Object();
  private @Nullable CausalView view;
  private final List<PendingWrite> pending = new ArrayList<>();
  private final Subscribers subs;
  private CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
  private @Nullable CompletableFuture<CausalView> queuedRefresh;
  private boolean heldBack;
  private boolean closed;

  ManifestSync(
      String manifestKey,
      CausalLog log,
      CausalContent content,
      ContentCache contents,
      Clock clock,
      ObjectMapper mapper,
      Executor callbacks,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      CommitRecovery recovery) {
    this.manifestKey = manifestKey;
    this.bucket = log.bucket();
    this.log = log;
    this.contents = contents;
    this.clock = clock;
    this.mapper = mapper;
    this.callbacks = callbacks;
    this.subs =
        new Subscribers(
            lock, manifestKey, scheduler, pollInterval, () -> refresh().exceptionally(e -> null));
    this.recovery = recovery;
    this.reader = new ContentReader(bucket, content, contents, mapper);
  }

  // -- reads ------------------------------------------------------------------------------------

  CompletableFuture<Optional<JsonNode>> get(String key) {
    synchronized (lock) {
      PendingWrite write = latestPending(key);
      if (write != null) {
        return CompletableFuture.completedFuture(Optional.ofNullable(write.values.get(key)));
      }
    }
    return refresh().thenCompose(v -> valueAt(v, key)).thenApply(Optional::ofNullable);
  }

  CompletableFuture<List<String>> keys(String prefix) {
    return refresh()
        .thenApply(
            v -> {
              TreeSet<String> keys = new TreeSet<>();
              for (String url : v.fileUrls()) {
                String key = CausalLayout.dbKey(bucket, url);
                if (key != null && key.startsWith(prefix) && v.version(url) != null) {
                  keys.add(key);
                }
              }
              synchronized (lock) {
                for (PendingWrite write : pending) {
                  write.values.forEach(
                      (key, value) -> {
                        if (key.startsWith(prefix) && value != null) {
                          keys.add(key);
                        } else if (key.startsWith(prefix)) {
                          keys.remove(key);
                        }
                      });
                }
              }
              return List.copyOf(keys);
            });
  }

  /** Brings the view up to date (coalescing with a refresh already waiting) and notifies. */
  CompletableFuture<CausalView> refresh() {
    synchronized (lock) {
      if (queuedRefresh != null) {
        return queuedRefresh;
      }
      CompletableFuture<CausalView> refreshed = new CompletableFuture<>();
      queuedRefresh = refreshed;
      chain =
          chain
              .handle((r, e) -> null)
              .thenCompose(
                  ignored -> {
                    CausalView previous;
                    synchronized (lock) {
                      queuedRefresh = null;
                      previous = view;
                    }
                    return CompletableFuture.completedFuture(previous)
                        .thenCompose(log::refresh) // a synchronous throw becomes a failure
                        .whenComplete(
                            (v, e) -> {
                              if (v != null) {
                                synchronized (lock) {
                                  view = v;
                                }
                                subs.healthy();
                                storeIsBack();
                                notifySubscribers();
                                refreshed.complete(v);
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

  private CompletableFuture<@Nullable JsonNode> valueAt(CausalView v, String key) {
    return reader.valueAt(v, key);
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
      chain = chain.handle((r, e) -> null).thenCompose(ignored -> commit(write));
    }
    notifySubscribers();
    if (!write.content.empty()) {
      write.content.versions().thenRun(this::storeIsBack); // the store took this write's content
    }
    return write.done;
  }

  /**
   * Commits {@code first} and, in the same entry, every write queued right behind it whose content
   * is already stored (group commit): their patches are merged in order, so the entry has the
   * effect of committing them one by one, and each stays atomic. Writes that went into an earlier
   * entry are skipped when their own turn comes. A write whose commit failed but stays pending
   * ({@link CommitRecovery}) holds back the writes behind it: it is sent again first, and takes
   * them along; entries tried before are settled first, so nothing lands twice.
   */
  private CompletableFuture<Void> commit(PendingWrite first) {
    Set<String> tried = new HashSet<>();
    synchronized (lock) {
      if (first.ended) {
        return CompletableFuture.completedFuture(null); // failed by stop(), or committed already
      }
      if (closed) {
        first.ended = true;
        pending.remove(first);
        first.done.completeExceptionally(recovery.closedFailure(first));
        return CompletableFuture.completedFuture(null);
      }
      if (pending.get(0) != first) {
        heldBack = true; // an earlier write waits to be sent again, and takes this one along
        return CompletableFuture.completedFuture(null);
      }
      pending.forEach(write -> tried.addAll(write.tried));
    }
    List<PendingWrite> batch = new ArrayList<>();
    CompletableFuture<Set<String>> settled =
        tried.isEmpty() ? CompletableFuture.completedFuture(Set.of()) : recovery.settle(tried);
    return settled
        .thenCompose(
            visible -> {
              boolean relist = endSettled(tried, visible);
              synchronized (lock) {
                if (first.ended) {
                  return CompletableFuture.completedFuture((CausalView) null);
                }
              }
              return send(first, batch, relist);
            })
        .handle(
            (committed, error) -> {
              List<PendingWrite> ended = batch.isEmpty() ? List.of(first) : batch;
              if (error != null) {
                failedCommit(ended, Errors.translate(error));
              } else if (committed != null) {
                committed(ended, committed);
              } else {
                kick(); // first was found committed by an earlier entry: go on with the next
              }
              return null;
            });
  }

  private CompletableFuture<CausalView> send(
      PendingWrite first, List<PendingWrite> batch, boolean relist) {
    return first
        .content
        .versions()
        .thenCompose(ignored -> relist ? relistView() : freshView())
        .thenCompose(
            base -> {
              synchronized (lock) {
                batch.addAll(PendingWrite.batchFrom(pending, first));
              }
              ObjectNode patch = PendingWrite.patch(bucket, batch, contents);
              return log.commit(
                  base,
                  patch,
                  entryKey ->
                      recovery
                          .tryingEntry(entryKey, batch)
                          .thenRun(
                              () -> {
                                synchronized (lock) {
                                  batch.forEach(write -> write.tried.add(entryKey));
                                }
                              }));
            });
  }

  private void committed(List<PendingWrite> ended, CausalView committed) {
    synchronized (lock) {
      pending.removeAll(ended);
      view = committed;
      for (PendingWrite write : ended) {
        write.ended = true;
        Map<String, String> versions = write.content.storedVersions();
        for (Subscriber sub : subs.all()) {
          sub.confirm(write, versions);
        }
      }
    }
    recovery.committed(ended);
    recovery.succeeded();
    notifySubscribers();
    ended.forEach(write -> write.done.complete(null));
    boolean next;
    synchronized (lock) {
      next = heldBack && !pending.isEmpty(); // their own turns were skipped: go on with them
      heldBack = next;
    }
    if (next) {
      kick();
    }
  }

  /**
   * Ends the pending writes tried in an entry that readers use (they are committed), and forgets
   * the other entries tried. True when any write ended: the view must be listed again.
   */
  private boolean endSettled(Set<String> tried, Set<String> visible) {
    List<PendingWrite> landed = new ArrayList<>();
    synchronized (lock) {
      for (PendingWrite write : pending) {
        if (write.tried.stream().anyMatch(visible::contains)) {
          landed.add(write);
        }
        write.tried.removeAll(tried);
      }
      pending.removeAll(landed);
      landed.forEach(write -> write.ended = true);
    }
    if (landed.isEmpty()) {
      return false;
    }
    recovery.committed(landed);
    notifySubscribers();
    landed.forEach(write -> write.done.complete(null));
    return true;
  }

  /** A commit failed: the writes that stay pending are sent again later, the others fail. */
  private void failedCommit(List<PendingWrite> ended, Mps3Exception failure) {
    List<PendingWrite> kept = new ArrayList<>();
    List<PendingWrite> dropped = new ArrayList<>();
    synchronized (lock) {
      for (PendingWrite write : ended) {
        if (!closed && !write.ended && CommitRecovery.keeps(write, failure)) {
          kept.add(write);
        } else if (!write.ended) {
          dropped.add(write);
          pending.remove(write);
          write.ended = true;
        }
      }
    }
    notifySubscribers();
    dropped.forEach(write -> write.done.completeExceptionally(failure));
    if (!dropped.isEmpty()) {
      subs.failedWrite(failure);
    }
    if (kept.isEmpty()) {
      return;
    }
    if (failure.isRetryable()) {
      subs.failed(failure); // once per outage, like a failing poll
    } else {
      Mps3Exception told =
          new Mps3Exception(failure.kind(), recovery.keptMessage(failure), failure);
      kept.stream()
          .filter(w -> !w.acknowledgedLocally)
          .forEach(w -> w.done.completeExceptionally(told));
      subs.failedWrite(told);
    }
    recovery.retryLater(this::kick, failure);
  }

  /** The store answered: writes that wait out a retryable failure are sent now. */
  private void storeIsBack() {
    if (recovery.retryNow()) {
      kick();
    }
  }

  /** Queues a commit of the oldest pending write (a retry, or what a retry held back). */
  private void kick() {
    synchronized (lock) {
      if (closed || pending.isEmpty()) {
        return;
      }
      PendingWrite head = pending.get(0);
      chain = chain.handle((r, e) -> null).thenCompose(ignored -> commit(head));
    }
  }

  /**
   * The view to commit on: listed less than {@link #LIST_FRESHNESS} ago, else listed again. A
   * marker answered 304 is not enough: a writer whose marker write failed leaves it unchanged.
   * Entries written since the last LIST are then at most that old, within the 5 s readers replay
   * (with up to a second of clock skew to spare).
   */
  private CompletableFuture<CausalView> freshView() {
    synchronized (lock) {
      long age = view == null ? -1 : clock.millis() - view.listedAt();
      if (age >= 0 && age <= LIST_FRESHNESS.toMillis()) { // a clock stepped back: list again
        return CompletableFuture.completedFuture(view);
      }
    }
    return relistView();
  }

  /** The view listed again now (after entries tried before were found in the log). */
  private CompletableFuture<CausalView> relistView() {
    CausalView current;
    synchronized (lock) {
      current = view;
    }
    return CompletableFuture.completedFuture(current)
        .thenCompose(log::relist)
        .thenApply(
            v -> {
              synchronized (lock) {
                view = v;
              }
              return v;
            });
  }

  // -- subscriptions ----------------------------------------------------------------------------

  Subscription subscribe(String keyOrPrefix, boolean prefix, DocumentListener listener) {
    Subscriber sub = new Subscriber(manifestKey, keyOrPrefix, prefix, listener, mapper, callbacks);
    Subscription handle;
    synchronized (lock) {
      handle = subs.add(sub);
    }
    refresh().exceptionally(e -> null);
    return handle;
  }

  /**
   * Stops polling and fails the writes not yet in the bucket; used when the client closes. A write
   * whose commit was under way may still land: the failure says so.
   */
  void stop() {
    List<PendingWrite> unfinished;
    synchronized (lock) {
      closed = true;
      recovery.cancel();
      subs.stop();
      unfinished = List.copyOf(pending);
      pending.clear();
      unfinished.forEach(write -> write.ended = true);
    }
    for (PendingWrite write : unfinished) {
      write.done.completeExceptionally(recovery.closedFailure(write));
    }
  }

  private void notifySubscribers() {
    // Deliveries are queued in order under the lock and run outside it.
    java.util.Set<Subscriber> touched = new java.util.LinkedHashSet<>();
    synchronized (lock) {
      if (view == null && pending.isEmpty()) {
        return;
      }
      for (Subscriber sub : subs.all()) {
        for (String key : keysOf(sub)) {
          PendingWrite write = latestPending(key);
          String url = CausalLayout.fileUrl(bucket, key);
          String version = view == null ? null : view.version(url);
          String token;
          if (write != null) {
            token = write.values.get(key) == null ? Subscriber.ABSENT : write.token;
          } else if (view == null) {
            continue; // nothing known of this key yet
          } else {
            token = version == null ? Subscriber.ABSENT : version;
          }
          if (!sub.deliver(key, token)) {
            continue;
          }
          CompletableFuture<@Nullable JsonNode> value;
          if (write != null) {
            value = CompletableFuture.completedFuture(write.values.get(key));
          } else if (view == null || version == null) { // a version implies a view
            value = CompletableFuture.completedFuture(null);
          } else {
            value = valueAt(view, key);
          }
          sub.offer(key, token, value);
          touched.add(sub);
        }
      }
    }
    touched.forEach(Subscriber::drain);
  }

  private List<String> keysOf(Subscriber sub) {
    if (!sub.prefix) {
      return List.of(sub.key);
    }
    TreeSet<String> keys = new TreeSet<>(sub.delivered.keySet());
    if (view != null) {
      for (String url : view.fileUrls()) {
        String key = CausalLayout.dbKey(bucket, url);
        if (key != null && key.startsWith(sub.key)) {
          keys.add(key);
        }
      }
    }
    for (PendingWrite write : pending) {
      for (String key : write.values.keySet()) {
        if (key.startsWith(sub.key)) {
          keys.add(key);
        }
      }
    }
    return List.copyOf(keys);
  }

  private @Nullable PendingWrite latestPending(String key) {
    for (int i = pending.size() - 1; i >= 0; i--) {
      if (pending.get(i).values.containsKey(key)) {
        return pending.get(i);
      }
    }
    return null;
  }
}
