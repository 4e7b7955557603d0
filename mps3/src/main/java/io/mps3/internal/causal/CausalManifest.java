package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.DocumentListener;
import io.mps3.Mps3Exception;
import io.mps3.Subscription;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
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
final class CausalManifest implements Manifest {

  /** The most a writer's last LIST may lag behind when it commits (the window is 5 s). */
  static final Duration LIST_FRESHNESS = Duration.ofSeconds(3);

  private final String manifestKey;
  final String bucket;
  final CausalLog log;
  final ContentCache contents;
  final Clock clock;
  private final Deliveries deliveries;
  final CommitRecovery recovery;
  private final ContentReader reader;
  private final CausalCommitter committer = new CausalCommitter(this);

  final Object lock = new Object();
  @Nullable CausalView view;
  final List<PendingWrite> pending = new ArrayList<>();
  final Subscribers subs;
  final SerialChain chain;
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
      CommitRecovery recovery) {
    this.manifestKey = manifestKey;
    this.bucket = log.bucket();
    this.log = log;
    this.contents = contents;
    this.clock = clock;
    this.deliveries = deliveries;
    this.chain = new SerialChain(scheduler);
    this.subs =
        new Subscribers(
            lock, manifestKey, scheduler, pollInterval, () -> refresh().exceptionally(e -> null));
    this.recovery = recovery;
    this.reader = new ContentReader(bucket, content, contents, mapper);
  }

  // -- reads ------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Optional<JsonNode>> get(String key) {
    synchronized (lock) {
      PendingWrite write = latestPending(key);
      if (write != null) {
        return CompletableFuture.completedFuture(Optional.ofNullable(write.values.get(key)));
      }
    }
    return refresh().thenCompose(v -> valueAt(v, key)).thenApply(Optional::ofNullable);
  }

  @Override
  public CompletableFuture<List<String>> keys(String prefix) {
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

  @Override
  public boolean quiet() {
    synchronized (lock) {
      return subs.isEmpty() && pending.isEmpty() && chain.idle();
    }
  }

  @Override
  public CompletableFuture<Void> catchUp() {
    return refresh().thenApply(v -> null);
  }

  /** Brings the view up to date (coalescing with a refresh already waiting) and notifies. */
  CompletableFuture<CausalView> refresh() {
    return chain.refresh(
        () -> {
          CausalView previous;
          synchronized (lock) {
            previous = view;
          }
          return CompletableFuture.completedFuture(previous)
              .thenCompose(log::refresh) // a synchronous throw becomes a failure
              .handle(
                  (v, e) -> {
                    if (e != null) {
                      Mps3Exception error = Errors.translate(e);
                      subs.failed(error);
                      throw error;
                    }
                    synchronized (lock) {
                      view = v;
                    }
                    subs.healthy();
                    committer.storeIsBack();
                    notifySubscribers();
                    return v;
                  });
        });
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
      chain.queue(() -> committer.commit(write));
    }
    notifySubscribers();
    if (!write.content.empty()) {
      write
          .content
          .versions()
          .thenRun(committer::storeIsBack); // the store took this write's content
    }
    return write.done;
  }

  // -- subscriptions ----------------------------------------------------------------------------

  @Override
  public Subscription subscribe(String keyOrPrefix, boolean prefix, DocumentListener listener) {
    Subscriber sub = new Subscriber(manifestKey, keyOrPrefix, prefix, listener, deliveries);
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
  @Override
  public void stop() {
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

  /** Offers the subscriptions what changed of the view with the pending writes on top. */
  void notifySubscribers() {
    synchronized (lock) {
      if (view == null && pending.isEmpty()) {
        return;
      }
      subs.offer(readable, null);
    }
  }

  /** The view with this client's pending writes on top, as subscriptions read it (under lock). */
  private final ManifestReadable readable =
      new ManifestReadable() {
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
          return v == null ? CompletableFuture.completedFuture(null) : valueAt(v, key);
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
      };

  private @Nullable PendingWrite latestPending(String key) {
    for (int i = pending.size() - 1; i >= 0; i--) {
      if (pending.get(i).values.containsKey(key)) {
        return pending.get(i);
      }
    }
    return null;
  }
}
