package io.mps3.internal.causal;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.journal.JournalRecord;
import io.mps3.internal.journal.WriteJournal;
import io.mps3.internal.util.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What one manifest does about commits that fail or were cut short (design record 0003): which
 * failed writes stay pending to be sent again, how long to wait before the next try, the journal's
 * bookkeeping around each entry, and settling entries tried before: a write is sent again only once
 * its earlier entry is known never to count, so it lands exactly once.
 *
 * <p>A failed write stays pending when it is journaled (any failure but {@code CLOSED}: the journal
 * keeps it across restarts, so dropping it in this process would reorder it), or when it was
 * acknowledged locally and the failure is retryable. Tries back off exponentially with jitter from
 * {@link #FIRST_RETRY} to {@link #MAX_RETRY}; a failure that cannot heal by itself (access denied,
 * a missing bucket) waits the maximum. Thread-safe.
 */
final class CommitRecovery {

  private static final System.Logger LOG = System.getLogger(CommitRecovery.class.getName());

  /** The first wait after a failed commit. */
  static final Duration FIRST_RETRY = Duration.ofMillis(100);

  /** The longest wait between tries. */
  static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final String manifestKey;
  private final @Nullable WriteJournal journal;
  private final CausalLog log;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private int failuresInRow;
  private @Nullable ScheduledFuture<?> retry;
  private boolean retryEarly;
  private @Nullable ErrorKind warned;

  CommitRecovery(
      String manifestKey,
      @Nullable WriteJournal journal,
      CausalLog log,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this.manifestKey = manifestKey;
    this.journal = journal;
    this.log = log;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /** Whether a write whose commit failed stays pending, to be sent again. */
  static boolean keeps(PendingWrite write, Mps3Exception failure) {
    if (failure.kind() == ErrorKind.CLOSED) {
      return false;
    }
    return write.record != null || (write.acknowledgedLocally && failure.isRetryable());
  }

  /** How long to wait before the next try, after one more failure. */
  synchronized long nextDelayMillis(Mps3Exception failure) {
    if (!failure.isRetryable()) {
      return MAX_RETRY.toMillis();
    }
    failuresInRow = Math.min(failuresInRow + 1, 30);
    return Backoff.equalJitter(FIRST_RETRY.toMillis(), MAX_RETRY.toMillis(), failuresInRow);
  }

  /** A commit went through: the next failure starts from the first wait again. */
  synchronized void succeeded() {
    failuresInRow = 0;
    if (warned != null) {
      warned = null;
      LOG.log(System.Logger.Level.INFO, "MPS3: manifest " + manifestKey + " commits again");
    }
  }

  /**
   * Runs {@code kick} after the next wait, unless a retry is already due. Logs a warning when the
   * kind of failure changes (not per try).
   */
  synchronized void retryLater(Runnable kick, Mps3Exception failure) {
    if (warned != failure.kind()) {
      warned = failure.kind();
      LOG.log(
          System.Logger.Level.WARNING,
          "MPS3: writes of manifest "
              + manifestKey
              + " wait to be sent again: "
              + (failure.isRetryable() ? failure.getMessage() : keptMessage(failure)));
    }
    if (retry != null) {
      return;
    }
    retryEarly = failure.isRetryable();
    try {
      retry =
          scheduler.schedule(
              () -> {
                synchronized (this) {
                  retry = null;
                }
                kick.run();
              },
              nextDelayMillis(failure),
              TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The client is closing: the writes stay in the journal, or fail with CLOSED.
    }
  }

  /**
   * The store answered a read: when a retry waits out a retryable failure, cancels the wait and
   * returns true (the caller sends now).
   */
  synchronized boolean retryNow() {
    if (retry == null || !retryEarly) {
      return false;
    }
    retry.cancel(false);
    retry = null;
    return true;
  }

  /** Cancels a waiting retry (the client closes). */
  synchronized void cancel() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }

  /** The failure of a write still pending when the client closes. */
  Mps3Exception closedFailure(PendingWrite write) {
    return new Mps3Exception(
        ErrorKind.CLOSED,
        "the client was closed before this write of manifest "
            + manifestKey
            + " was acknowledged by the bucket; "
            + (write.record == null
                ? "it may still land"
                : "it stays in the journal (" + write.record + ") for the next client to send"),
        null);
  }

  /** The message of a failure that keeps a journaled write, naming where it waits. */
  String keptMessage(Mps3Exception failure) {
    return failure.getMessage()
        + " (the write stays in the journal "
        + (journal == null ? "" : journal.directory())
        + " and is sent again every "
        + MAX_RETRY.toSeconds()
        + " s, and by the next client that opens the journal)";
  }

  // -- around one entry -------------------------------------------------------------------------

  /** Before an entry's PUT: records its key for each write of the batch, durably if journaled. */
  CompletableFuture<Void> tryingEntry(String entryKey, List<PendingWrite> batch) {
    List<JournalRecord> records = records(batch);
    if (journal == null || records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      journal.tryingEntry(manifestKey, entryKey, records);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The bucket holds these writes in this manifest: the journal may let them go. */
  void committed(Collection<PendingWrite> writes) {
    List<JournalRecord> records = records(writes);
    if (journal != null && !records.isEmpty()) {
      journal.committed(manifestKey, records);
    }
  }

  private static List<JournalRecord> records(Collection<PendingWrite> writes) {
    List<JournalRecord> records = new ArrayList<>();
    for (PendingWrite write : writes) {
      if (write.record != null) {
        records.add(write.record);
      }
    }
    return records;
  }

  // -- settling entries tried before --------------------------------------------------------------

  /**
   * Which of these entry keys readers use (the writes tried in them are committed). An entry not in
   * the log is waited for until {@link CausalEntryCheck#settledAt}: a PUT still in flight that
   * lands later is ignored by every reader, so it is then safe to send the writes again.
   */
  CompletableFuture<Set<String>> settle(Collection<String> entryKeys) {
    Set<String> visible = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    for (String key : entryKeys) {
      checks.add(
          settle(key)
              .thenAccept(
                  found -> {
                    if (found == CausalEntryCheck.Found.VISIBLE) {
                      visible.add(key);
                    }
                  }));
    }
    return CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0]))
        .thenApply(ignored -> visible);
  }

  private CompletableFuture<CausalEntryCheck.Found> settle(String entryKey) {
    CausalEntryCheck check = log.entryCheck();
    return check
        .find(entryKey)
        .thenCompose(
            found -> {
              long wait = check.settledAt(entryKey) - (clock.millis() + log.clockOffsetMillis());
              if (found != CausalEntryCheck.Found.ABSENT || wait <= 0) {
                return CompletableFuture.completedFuture(found);
              }
              return after(wait).thenCompose(ignored -> check.find(entryKey));
            });
  }

  /** Completes after {@code millis} of real time, on the client's scheduler. */
  // Ignored futures: the scheduled task completes `later`, which is what callers wait on.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<Void> after(long millis) {
    CompletableFuture<Void> later = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> later.complete(null), millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      later.completeExceptionally(
          new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", e));
    }
    return later;
  }
}
