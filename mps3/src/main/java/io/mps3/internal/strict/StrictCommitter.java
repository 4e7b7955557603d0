package io.mps3.internal.strict;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.manifest.Errors;
import io.mps3.spi.ClientMetrics.CommitEvent;
import io.mps3.spi.PutOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Writes this client's entries into a strict log (PROTOCOL.md B3), one attempt at a time.
 *
 * <p>Group commit: every write waiting when an attempt starts goes into its entry, in order, as
 * long as its preconditions hold on the state the entry follows (a write whose precondition reads a
 * key written earlier in the same entry waits for the next one). The entry is one {@code
 * If-None-Match: *} create of the next slot. When another writer won the slot, its entry is read
 * and applied, and the writes go back to the queue to be checked again on the newer state. When the
 * answer was lost, the slot is read: an entry with this attempt's {@code op} means it committed; an
 * empty slot is tried again with the same entry, so it can never land twice; a slot cleanup deleted
 * is judged by the op a checkpoint remembers ({@link StrictSlotOwner}). A slot that cannot be read
 * is read again, with backoff, until the outage timeout; then the caller is told the outcome is
 * unknown, and {@link UnknownOutcomes} reports the write's fate once a read of its slot tells.
 *
 * <p>All fields are guarded by the manifest's lock.
 */
// Every future here is continued by a callback that completes a write's own `done` on every path
// (or schedules a retry that will): the stages those calls return have nobody to tell.
@SuppressWarnings("FutureReturnValueIgnored")
final class StrictCommitter {

  /** How often a write loses its slot to others before it fails with a conflict. */
  private static final int MAX_LOSSES = 10_000;

  private final StrictManifest sync;
  private final String session;
  final UnknownOutcomes unknowns;
  private final ArrayDeque<StrictWrite> queue = new ArrayDeque<>();
  private @Nullable StrictAttempt inflight;
  private boolean committing;

  /**
   * Set by {@link StrictAttempt#form} when the next write's precondition failed on a state maybe
   * too old.
   */
  private boolean stale;

  StrictCommitter(StrictManifest sync, String session) {
    this.sync = sync;
    this.session = session;
    this.unknowns = new UnknownOutcomes(sync);
  }

  /** What follows this client's entry being applied: completions, checkpoint, cleanup. */
  final class Outcome {
    private final StrictAttempt attempt;
    private final @Nullable StrictCheckpointDue checkpoint;

    private Outcome(StrictAttempt attempt, @Nullable StrictCheckpointDue checkpoint) {
      this.attempt = attempt;
      this.checkpoint = checkpoint;
    }

    /** Runs outside the lock: completes the writes, then checkpoints and cleans up. */
    void finish(List<String> superseded) {
      attempt.committed(sync);
      StrictHousekeeping.afterCommit(sync, attempt.entry.seq(), checkpoint, superseded);
    }
  }

  // -- called by StrictManifest -------------------------------------------------------------------

  CompletableFuture<Boolean> submit(StrictWrite write) {
    synchronized (sync.lock) {
      if (sync.closed) {
        write.done.completeExceptionally(
            new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", null));
        return write.done;
      }
      queue.add(write);
    }
    write.contentVersions.whenComplete((v, e) -> kick());
    kick();
    return write.done;
  }

  /** How many writes wait or are being sent. Under the manifest's lock. */
  int pendingWrites() {
    return queue.size() + (inflight == null ? 0 : inflight.batch.size());
  }

  /** Whether no write waits or is being sent. Under the manifest's lock. */
  boolean idle() {
    return queue.isEmpty() && inflight == null && !committing;
  }

  /** Completes when this client's writes of {@code key} (of any key when null) are done. */
  CompletableFuture<Void> settled(@Nullable String key) {
    List<CompletableFuture<Boolean>> waits = new ArrayList<>();
    synchronized (sync.lock) {
      List<StrictWrite> all = new ArrayList<>(queue);
      if (inflight != null) {
        all.addAll(inflight.batch);
      }
      for (StrictWrite w : all) {
        if (key == null || w.values.containsKey(key)) {
          waits.add(w.done);
        }
      }
    }
    return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]))
        .handle((r, e) -> null);
  }

  /** Called under the lock when the entry of the next slot was applied. */
  @Nullable Outcome applied(StrictEntry entry, StrictState state) {
    StrictAttempt attempt = inflight;
    if (attempt == null || !attempt.entry.op().equals(entry.op())) {
      return null;
    }
    attempt.won = true;
    inflight = null;
    long k = sync.settings.checkpointInterval();
    return new Outcome(attempt, entry.seq() % k == 0 ? StrictCheckpointDue.of(state, k) : null);
  }

  void stop(Mps3Exception closed) {
    List<StrictWrite> unfinished;
    List<Runnable> reports;
    synchronized (sync.lock) {
      reports = unknowns.closing();
      unfinished = new ArrayList<>(queue);
      queue.clear();
      if (inflight != null) {
        unfinished.addAll(inflight.batch);
      }
    }
    unfinished.forEach(w -> w.done.completeExceptionally(closed));
    reports.forEach(Runnable::run);
  }

  // -- the commit loop --------------------------------------------------------------------------

  private void kick() {
    synchronized (sync.lock) {
      if (committing || queue.isEmpty() || !queue.peek().ready() || sync.closed) {
        return;
      }
      committing = true;
    }
    sync.opened()
        .thenCompose(ignored -> sync.validated())
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                next(0);
                return;
              }
              Mps3Exception failure = Errors.translate(e);
              List<StrictWrite> failed;
              synchronized (sync.lock) {
                failed = new ArrayList<>(queue);
                queue.clear();
                committing = false;
              }
              failed.forEach(w -> w.done.completeExceptionally(failure));
              sync.failedWrite(failure);
            });
  }

  /** Forms the next entry from the queue and sends it; stops when nothing is ready. */
  private void next(int losses) {
    StrictAttempt attempt;
    List<StrictWrite> toCheck = List.of();
    synchronized (sync.lock) {
      StrictAttempt.Formed formed =
          sync.closed ? null : StrictAttempt.form(queue, sync.state(), sync, session);
      attempt = formed == null ? null : formed.attempt();
      stale = formed != null && formed.stale();
      if (attempt == null && stale) {
        toCheck = new ArrayList<>(queue);
      } else if (attempt == null) {
        committing = false;
        return;
      } else {
        inflight = attempt.batch.isEmpty() ? null : attempt;
      }
    }
    if (attempt == null) {
      recheck(toCheck, losses);
      return;
    }
    sync.metrics.commit(sync.manifestKey, CommitEvent.REFUSED, attempt.refused.size());
    attempt.refused.forEach(w -> w.done.complete(false));
    if (attempt.batch.isEmpty()) {
      next(losses);
      return;
    }
    send(attempt, losses, 0);
  }

  /**
   * The precondition of the first queued write failed on a state that may predate the write (this
   * client had not read the log since): refusing it now would be a stale read. Reads the log to its
   * end first, then checks again.
   */
  private void recheck(List<StrictWrite> toCheck, int losses) {
    sync.follow()
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                Mps3Exception failure = Errors.translate(e);
                synchronized (sync.lock) {
                  queue.remove(toCheck.get(0));
                }
                toCheck.get(0).done.completeExceptionally(failure);
                sync.failedWrite(failure);
              } else {
                synchronized (sync.lock) {
                  toCheck.forEach(w -> w.rechecked = true);
                }
              }
              later(() -> next(losses), 0);
            });
  }

  /**
   * Creates the slot; {@code tries} counts lost answers of this very entry. A client that has not
   * seen the log for a while first makes sure cleanup has not passed it by: creating a slot that
   * cleanup deleted would fork the log.
   */
  private void send(StrictAttempt attempt, int losses, int tries) {
    long seq = attempt.entry.seq();
    AtomicBoolean sent = new AtomicBoolean(); // before, a failure is the head check's: nothing sent
    sync.validated()
        .thenCompose(
            ignored -> {
              synchronized (sync.lock) {
                if (sync.state().tip() >= seq) {
                  // Reopened past it: lost if never sent; else it may have landed, so the slot
                  // is read as after a refusal.
                  return CompletableFuture.completedFuture(
                      tries == 0 ? null : new PutOutcome.PreconditionFailed(null));
                }
              }
              long started = sync.clock.millis();
              long startedNanos = System.nanoTime();
              sent.set(true);
              if (tries > 0) {
                sync.metrics.commit(sync.manifestKey, CommitEvent.RETRIED); // the same entry again
              }
              return sync.log
                  .create(attempt.entry)
                  .thenApply(
                      outcome -> {
                        sync.contention.createTook(System.nanoTime() - startedNanos);
                        if (outcome instanceof PutOutcome.Written) {
                          sync.verifiedAt(started); // the slot was free: the log ended before it
                        }
                        return outcome;
                      });
            })
        .whenComplete(
            (outcome, error) -> {
              if (error == null && outcome == null) {
                lost(attempt, losses + 1);
              } else if (error == null && outcome instanceof PutOutcome.Written) {
                sync.apply(attempt.entry);
                won(attempt);
              } else if (error == null && outcome instanceof PutOutcome.PreconditionFailed) {
                resolve(attempt, losses, tries, null);
              } else if (error != null
                  && !attempt.mayHaveLanded
                  && !(sent.get()
                      ? RetryUntil.mayRetryCreate(error)
                      : RetryUntil.isTransient(error))) {
                fail(attempt, Errors.translate(error));
              } else {
                attempt.mayHaveLanded |= error == null || sent.get();
                Throwable why =
                    error != null ? error : ((PutOutcome.OutcomeUnknown) outcome).cause();
                resolve(attempt, losses, tries + 1, why);
              }
            });
  }

  /**
   * Reads the slot to learn who owns it (B3 steps 3 and 4), again and again through the store's
   * failures until the outage timeout. Then a write that may have landed fails as unknown; one that
   * cannot have (its create was refused) as unavailable: nothing was written.
   */
  private void resolve(StrictAttempt attempt, int losses, int tries, @Nullable Throwable failure) {
    if (failure != null) {
      attempt.lastFailure = failure;
    }
    RetryUntil deadline = attempt.resolving;
    if (deadline == null) {
      deadline = new RetryUntil(sync.scheduler, sync.settings.outageTimeout());
      attempt.resolving = deadline;
    }
    synchronized (sync.lock) {
      if (sync.closed) {
        return; // stop() failed the writes; a closed scheduler would make this loop spin
      }
    }
    if (deadline.passed()) {
      if (attempt.mayHaveLanded) {
        synchronized (sync.lock) {
          unknowns.add(attempt);
        }
      }
      fail(attempt, unknowns.failure(attempt));
      return;
    }
    RetryUntil retries = deadline;
    long seq = attempt.entry.seq();
    StrictSlotOwner.read(sync, seq)
        .whenComplete(
            (owner, error) -> {
              if (error != null) {
                retries.later(
                    () -> resolve(attempt, losses, tries + 1, error), RetryUntil.pause(tries + 1));
              } else if (owner.empty()) {
                // Empty: this entry did not land (yet). Trying the same entry again is safe.
                retries.later(() -> send(attempt, losses, tries + 1), RetryUntil.pause(tries + 1));
              } else if (owner.forgotten() && attempt.mayHaveLanded && !attempt.won) {
                fail(attempt, unknowns.forgotten(attempt)); // cleaned up: nothing can tell
              } else {
                if (attempt.won || attempt.entry.op().equals(owner.op())) {
                  won(attempt);
                } else {
                  lost(attempt, losses + 1); // another's, or refused and cleaned up: not ours
                }
              }
            });
  }

  private void won(StrictAttempt attempt) {
    sync.contention.wonSlot();
    // apply() completed the writes if this entry was applied now or by a concurrent refresh; not
    // when a reopen from a newer checkpoint moved the state past the slot meanwhile.
    synchronized (sync.lock) {
      if (inflight == attempt) {
        inflight = null;
      }
    }
    attempt.committed(sync);
    next(0);
  }

  /** Another writer owns the slot: check the writes again on the newer state. */
  private void lost(StrictAttempt attempt, int losses) {
    sync.contention.lostSlot();
    sync.metrics.commit(sync.manifestKey, CommitEvent.CONFLICT);
    if (losses >= MAX_LOSSES) {
      fail(
          attempt,
          new Mps3Exception(
              ErrorKind.CONFLICT,
              "gave up writing manifest " + sync.manifestKey + " after losing " + losses + " slots",
              null));
      return;
    }
    synchronized (sync.lock) {
      if (inflight == attempt) {
        inflight = null;
      }
      for (int i = attempt.batch.size() - 1; i >= 0; i--) {
        queue.addFirst(attempt.batch.get(i));
      }
    }
    // Wait a random part of the contention window (see Contention), then catch up with the log (a
    // GET per slot, cheaper than losing each slot in turn) and try again.
    later(
        () -> sync.follow().whenComplete((r, e) -> next(losses)),
        sync.contention.retryDelayMicros());
  }

  private void fail(StrictAttempt attempt, Mps3Exception failure) {
    synchronized (sync.lock) {
      if (inflight == attempt) {
        inflight = null;
      }
    }
    attempt.batch.forEach(w -> w.done.completeExceptionally(failure));
    sync.failedWrite(failure);
    next(0);
  }

  private void later(Runnable task, long micros) {
    RetryUntil.later(sync.scheduler, task, micros, TimeUnit.MICROSECONDS);
  }
}
