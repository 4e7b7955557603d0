package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.Mps3Exception;
import io.mps3.internal.manifest.Errors;
import io.mps3.internal.manifest.SerialChain;
import io.mps3.spi.ClientMetrics.CommitEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Commits the pending writes of one causal manifest ({@link CausalManifest}), in order, as entries
 * of its log (PROTOCOL part A): group commit, retries that never land a write twice, and what a
 * commit changes of the view and the subscriptions. Every step runs on the manifest's {@link
 * SerialChain}; state is the manifest's, guarded by its lock.
 */
final class CausalCommitter {

  private final CausalManifest m;

  CausalCommitter(CausalManifest manifest) {
    this.m = manifest;
  }

  /**
   * Commits {@code first} and, in the same entry, every write queued right behind it whose content
   * is already stored (group commit): their patches are merged in order, so the entry has the
   * effect of committing them one by one, and each stays atomic. Writes that went into an earlier
   * entry are skipped when their own turn comes. A write whose commit failed but stays pending
   * ({@link CommitRecovery}) holds back the writes behind it: it is sent again first, and takes
   * them along; entries tried before are settled first, so nothing lands twice.
   */
  CompletableFuture<Void> commit(PendingWrite first) {
    Set<String> tried = new HashSet<>();
    boolean closed;
    synchronized (m.lock) {
      if (first.ended) {
        return CompletableFuture.completedFuture(null); // failed by stop(), or committed already
      }
      closed = m.closed;
      if (closed) {
        first.ended = true;
        m.pending.remove(first);
      } else if (m.pending.get(0) != first) {
        m.heldBack = true; // an earlier write waits to be sent again, and takes this one along
        return CompletableFuture.completedFuture(null);
      } else {
        m.pending.forEach(write -> tried.addAll(write.tried));
      }
    }
    if (closed) { // outside the lock: its caller's callbacks (and metrics) run here
      first.done.completeExceptionally(m.recovery.closedFailure(first));
      return CompletableFuture.completedFuture(null);
    }
    List<PendingWrite> batch = new ArrayList<>();
    CompletableFuture<Set<String>> settled =
        tried.isEmpty() ? CompletableFuture.completedFuture(Set.of()) : m.recovery.settle(tried);
    return settled
        .thenCompose(
            visible -> {
              boolean relist = endSettled(tried, visible);
              synchronized (m.lock) {
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
              synchronized (m.lock) {
                batch.addAll(PendingWrite.batchFrom(m.pending, first));
              }
              ObjectNode patch = PendingWrite.patch(m.bucket, batch, m.contents);
              return m.log.commit(
                  base,
                  patch,
                  entryKey ->
                      m.recovery
                          .tryingEntry(entryKey, batch)
                          .thenRun(
                              () -> {
                                synchronized (m.lock) {
                                  batch.forEach(write -> write.tried.add(entryKey));
                                }
                              }));
            });
  }

  private void committed(List<PendingWrite> ended, CausalView committed) {
    synchronized (m.lock) {
      m.pending.removeAll(ended);
      m.view = committed;
      for (PendingWrite write : ended) {
        write.ended = true;
        Map<String, String> versions = write.content.storedVersions();
        m.manifest().confirm(write.token, versions);
      }
    }
    m.recovery.committed(ended);
    m.recovery.succeeded();
    m.metrics.commit(m.manifest().key(), CommitEvent.COMMITTED);
    m.manifest().offer(null);
    ended.forEach(write -> write.done.complete(null));
    boolean next;
    synchronized (m.lock) {
      next = m.heldBack && !m.pending.isEmpty(); // their own turns were skipped: go on with them
      m.heldBack = next;
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
    synchronized (m.lock) {
      for (PendingWrite write : m.pending) {
        if (write.tried.stream().anyMatch(visible::contains)) {
          landed.add(write);
        }
        write.tried.removeAll(tried);
      }
      m.pending.removeAll(landed);
      landed.forEach(write -> write.ended = true);
    }
    if (landed.isEmpty()) {
      return false;
    }
    m.recovery.committed(landed);
    m.metrics.commit(m.manifest().key(), CommitEvent.COMMITTED); // an entry tried before landed
    m.manifest().offer(null);
    landed.forEach(write -> write.done.complete(null));
    return true;
  }

  /** A commit failed: the writes that stay pending are sent again later, the others fail. */
  private void failedCommit(List<PendingWrite> ended, Mps3Exception failure) {
    List<PendingWrite> kept = new ArrayList<>();
    List<PendingWrite> dropped = new ArrayList<>();
    synchronized (m.lock) {
      for (PendingWrite write : ended) {
        if (!m.closed && !write.ended && CommitRecovery.keeps(write, failure)) {
          kept.add(write);
        } else if (!write.ended) {
          dropped.add(write);
          m.pending.remove(write);
          write.ended = true;
        }
      }
    }
    m.manifest().offer(null);
    dropped.forEach(write -> write.done.completeExceptionally(failure));
    if (!dropped.isEmpty()) {
      m.manifest().failedWrite(failure);
    }
    if (kept.isEmpty()) {
      return;
    }
    m.metrics.commit(m.manifest().key(), CommitEvent.RETRIED); // sent again later
    if (failure.isRetryable()) {
      m.manifest().failed(failure); // once per outage, like a failing poll
    } else {
      Mps3Exception told =
          new Mps3Exception(failure.kind(), m.recovery.keptMessage(failure), failure);
      kept.stream()
          .filter(w -> !w.acknowledgedLocally)
          .forEach(w -> w.done.completeExceptionally(told));
      m.manifest().failedWrite(told);
    }
    m.recovery.retryLater(this::kick, failure);
  }

  /** The store answered: writes that wait out a retryable failure are sent now. */
  void storeIsBack() {
    if (m.recovery.retryNow()) {
      kick();
    }
  }

  /** Queues a commit of the oldest pending write (a retry, or what a retry held back). */
  private void kick() {
    synchronized (m.lock) {
      if (m.closed || m.pending.isEmpty()) {
        return;
      }
      PendingWrite head = m.pending.get(0);
      m.chain().queue(() -> commit(head));
    }
  }

  /**
   * The view to commit on: listed less than {@link CausalManifest#LIST_FRESHNESS} ago, else listed
   * again. A marker answered 304 is not enough: a writer whose marker write failed leaves it
   * unchanged. Entries written since the last LIST are then at most that old, within the 5 s
   * readers replay (with up to a second of clock skew to spare).
   */
  private CompletableFuture<CausalView> freshView() {
    synchronized (m.lock) {
      long age = m.view == null ? -1 : m.clock.millis() - m.view.listedAt();
      if (age >= 0
          && age <= CausalManifest.LIST_FRESHNESS.toMillis()) { // a clock stepped back: list again
        return CompletableFuture.completedFuture(m.view);
      }
    }
    return relistView();
  }

  /** The view listed again now (after entries tried before were found in the log). */
  private CompletableFuture<CausalView> relistView() {
    CausalView current;
    synchronized (m.lock) {
      current = m.view;
    }
    return CompletableFuture.completedFuture(current)
        .thenCompose(m.log::relist)
        .thenApply(
            v -> {
              synchronized (m.lock) {
                m.view = v;
              }
              return v;
            });
  }
}
