package io.mps3.internal.strict;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.manifest.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * This client's writes of one strict manifest whose callers were told {@code OUTCOME_UNKNOWN}: the
 * create of their slot lost its answer and the slot could not be read within the outage timeout.
 * Such a write is bound to its slot (the slot number is in its entry and its key), so the first
 * read of that slot settles its fate for good (once cleanup deleted it, the op a checkpoint
 * remembers: design 0020): it holds this write's {@code op} (it landed late: readers and
 * subscriptions see it like any entry, and its writer does the checkpoint and cleanup due), or
 * another writer's entry (it never will land). Either way the fate is logged at INFO, the only way
 * left to tell a caller whose future has failed; a client closed first logs that the fate was never
 * learnt. A reopen from a checkpoint that passes the slot without reading it reads that one slot.
 * The causal protocol's journal plays no part: the strict protocol has none.
 *
 * <p>Guarded by the manifest's lock, but for the reports, which run outside it.
 */
final class UnknownOutcomes {

  private static final System.Logger LOG = System.getLogger(UnknownOutcomes.class.getName());

  private final StrictManifest sync;

  /** By slot: several when later writes met the same outage at the same slot. */
  private final NavigableMap<Long, List<StrictAttempt>> bySlot = new TreeMap<>();

  UnknownOutcomes(StrictManifest sync) {
    this.sync = sync;
  }

  /** Remembers a write whose caller was told its outcome is unknown. Under the lock. */
  void add(StrictAttempt attempt) {
    bySlot.computeIfAbsent(attempt.entry.seq(), n -> new ArrayList<>()).add(attempt);
  }

  /**
   * The report of what the entry of a slot, applied just now, tells of a write waiting there; null
   * when none waits. Under the lock; run the report outside it.
   */
  @Nullable Runnable settle(StrictEntry entry, StrictState state, List<String> superseded) {
    List<StrictAttempt> waiting = bySlot.remove(entry.seq());
    if (waiting == null) {
      return null;
    }
    List<Runnable> reports = new ArrayList<>();
    for (StrictAttempt attempt : waiting) {
      if (!entry.op().equals(attempt.entry.op())) {
        reports.add(() -> report(attempt, Fate.NOT_LANDED));
        continue;
      }
      long k = sync.settings.checkpointInterval();
      StrictCheckpointDue checkpoint =
          entry.seq() % k == 0 ? StrictCheckpointDue.of(state, k) : null;
      reports.add(
          () -> {
            report(attempt, Fate.LANDED);
            StrictHousekeeping.afterCommit(sync, entry.seq(), checkpoint, superseded);
          });
    }
    return () -> reports.forEach(Runnable::run);
  }

  /**
   * The writes whose slots a reopen from a checkpoint passed without reading them (up to and with
   * {@code tip}): read each slot now. Under the lock; run the reads outside it.
   */
  List<Runnable> passedBy(long tip) {
    List<Runnable> reads = new ArrayList<>();
    NavigableMap<Long, List<StrictAttempt>> passed = bySlot.headMap(tip, true);
    for (List<StrictAttempt> attempts : passed.values()) {
      attempts.forEach(attempt -> reads.add(() -> readSlotOf(attempt)));
    }
    passed.clear();
    return reads;
  }

  /** The writes whose fate was never learnt; the client is closing. Under the lock. */
  List<Runnable> closing() {
    List<Runnable> reports = new ArrayList<>();
    for (List<StrictAttempt> attempts : bySlot.values()) {
      attempts.forEach(attempt -> reports.add(() -> report(attempt, Fate.NEVER_LEARNT)));
    }
    bySlot.clear();
    return reports;
  }

  /**
   * The failure of a write whose slot's owner could not be learnt within the outage timeout:
   * unknown when a create of it may have landed; else unavailable, as nothing was written.
   */
  Mps3Exception failure(StrictAttempt attempt) {
    Throwable last = attempt.lastFailure;
    String within =
        " within the outage timeout of "
            + sync.settings.outageTimeout().toMillis() / 1000.0
            + " s (last failure: "
            + (last == null ? "none" : Errors.translate(last).getMessage())
            + ")";
    if (!attempt.mayHaveLanded) {
      return new Mps3Exception(
          ErrorKind.UNAVAILABLE,
          "a write of manifest "
              + sync.manifestKey
              + " did not land: who owns slot "
              + attempt.entry.seq()
              + " could not be learnt"
              + within
              + "; nothing was written",
          last);
    }
    return new Mps3Exception(
        ErrorKind.OUTCOME_UNKNOWN,
        "the outcome of a write of manifest "
            + sync.manifestKey
            + " is unknown: its create of slot "
            + attempt.entry.seq()
            + " lost its answer, and the slot could not be read"
            + within
            + "; the write may still land. This client reads the slot at its next read of the"
            + " manifest, then completes laterOutcome() and logs at INFO whether it landed",
        last,
        attempt.laterOutcome.minimalCompletionStage()); // callers may not complete it
  }

  /**
   * The failure of a write whose create lost its answer and whose slot, by the time it could be
   * read, cleanup had deleted, with no checkpoint left that remembers its owner (design 0020): its
   * fate can never be learnt, so its later outcome fails at once.
   */
  Mps3Exception forgotten(StrictAttempt attempt) {
    String text =
        "the outcome of a write of manifest "
            + sync.manifestKey
            + " is unknown for good: its create of slot "
            + attempt.entry.seq()
            + " lost its answer, and before the slot could be read cleanup deleted it and every"
            + " checkpoint that remembers who wrote it (the outage outlasted the cleanup grace,"
            + " autocleanGrace); read the keys to learn whether it landed";
    attempt.laterOutcome.completeExceptionally(
        new Mps3Exception(ErrorKind.OUTCOME_UNKNOWN, text, null));
    return new Mps3Exception(
        ErrorKind.OUTCOME_UNKNOWN,
        text,
        attempt.lastFailure,
        attempt.laterOutcome.minimalCompletionStage());
  }

  // Ignored future: the callback reports on every path; nobody waits for it.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void readSlotOf(StrictAttempt attempt) {
    StrictSlotOwner.read(sync, attempt.entry.seq())
        .whenComplete(
            (owner, error) -> {
              if (error == null && attempt.entry.op().equals(owner.op())) {
                report(attempt, Fate.LANDED);
              } else if (error == null && owner.op() != null) {
                report(attempt, Fate.NOT_LANDED);
              } else {
                report(attempt, Fate.PASSED_BY);
              }
            });
  }

  /** What became of a write whose outcome was reported unknown. */
  private enum Fate {
    LANDED("landed after all: slot %d holds it, and readers see it as any entry"),
    NOT_LANDED("did not land, and never will: slot %d holds another writer's entry"),
    NEVER_LEARNT(
        "is not known: the client closed before it read slot %d; read the keys to learn it"),
    PASSED_BY(
        "is not known: a reopen passed slot %d, which cannot be read; read the keys to learn it");

    final String text;

    Fate(String text) {
      this.text = text;
    }
  }

  /**
   * Tells the callers (their exception's {@code laterOutcome()}) and the log (one INFO line: the
   * write by manifest, slot and keys, never values) what became of the write.
   */
  private void report(StrictAttempt attempt, Fate fate) {
    switch (fate) {
      case LANDED -> attempt.laterOutcome.complete(true);
      case NOT_LANDED -> attempt.laterOutcome.complete(false);
      case NEVER_LEARNT, PASSED_BY ->
          attempt.laterOutcome.completeExceptionally(
              new Mps3Exception(
                  fate == Fate.NEVER_LEARNT ? ErrorKind.CLOSED : ErrorKind.OUTCOME_UNKNOWN,
                  "a write of manifest "
                      + sync.manifestKey
                      + " "
                      + String.format(fate.text, attempt.entry.seq()),
                  null));
    }
    List<String> keys = new ArrayList<>();
    for (String url : attempt.entry.files().keySet()) {
      keys.add(String.valueOf(CausalLayout.dbKey(sync.bucket, url)));
    }
    LOG.log(
        System.Logger.Level.INFO,
        () ->
            "MPS3: a write of keys "
                + keys
                + " of manifest "
                + sync.manifestKey
                + ", whose caller was told its outcome is unknown, "
                + String.format(fate.text, attempt.entry.seq()));
  }
}
