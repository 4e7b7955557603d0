package io.mps3.internal.strict;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What follows a commit of this client in a strict manifest (PROTOCOL B4, B5): the change marker
 * when the client's change feed is on (design 0017), the checkpoint every {@code
 * checkpointInterval} slots (in segments, design 0016), and, after the cleanup grace, the deletion
 * of the entries, checkpoints and segments it made needless and of the content objects the commit
 * superseded.
 */
// Fire and forget: a checkpoint or a cleanup that fails is logged or left for the next writer;
// nobody waits for them.
@SuppressWarnings("FutureReturnValueIgnored")
final class StrictHousekeeping {

  private static final System.Logger LOG = System.getLogger(StrictHousekeeping.class.getName());

  private StrictHousekeeping() {}

  /**
   * Writes the change marker (with the feed on, design 0017) and the checkpoint (if due), and
   * schedules the cleanups; never fails the commit.
   */
  static void afterCommit(
      StrictManifest sync, long seq, @Nullable StrictCheckpointDue due, List<String> superseded) {
    StrictSettings settings = sync.settings;
    if (sync.feed != null) {
      sync.feed.mark(sync.manifestKey, seq);
    }
    if (due != null) {
      // One checkpoint at a time per client: the next one waits for this one's index, and builds
      // on it rather than reading it back (it may not be in the store yet) or writing a new base.
      CompletableFuture<@Nullable StrictIndex> previous;
      CompletableFuture<@Nullable StrictIndex> written = new CompletableFuture<>();
      synchronized (sync.lock) {
        previous = sync.lastCheckpoint;
        sync.lastCheckpoint = written;
      }
      previous
          .thenCompose(own -> due.plan(sync.log, own))
          .thenCompose(checkpoint -> sync.log.checkpoint(checkpoint).thenApply(ok -> checkpoint))
          .whenComplete((checkpoint, e) -> written.complete(e == null ? checkpoint.index() : null))
          .thenAccept(
              checkpoint -> {
                synchronized (sync.lock) {
                  StrictState state = sync.currentState();
                  if (state != null) {
                    state.continueFrom(checkpoint.index()); // the next checkpoint builds on it
                  }
                }
                long k = settings.checkpointInterval();
                if (settings.autoclean() && (seq > k || checkpoint.retiresSegments())) {
                  cleanUpLater(
                      sync, () -> cleanUp(sync, seq, checkpoint), settings.grace().toMillis());
                }
              })
          .exceptionally(
              e -> {
                LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "checkpoint " + seq + " of " + sync.manifestKey + ": " + e);
                return null;
              });
    }
    if (settings.autoclean() && !superseded.isEmpty()) {
      cleanUpLater(
          sync,
          () -> superseded.forEach(key -> sync.log.deleteObject(key).exceptionally(e -> null)),
          settings.grace().toMillis());
    }
  }

  /**
   * Deletes the entries and the checkpoint this checkpoint made needless, then, when it retired
   * segments, every segment no checkpoint left names (design 0016).
   */
  private static void cleanUp(StrictManifest sync, long seq, StrictCheckpointPlan checkpoint) {
    long k = sync.settings.checkpointInterval();
    CompletableFuture<Void> old =
        seq > k
            ? sync.log.deleteBefore(seq - 2 * k + 1, seq - k)
            : CompletableFuture.completedFuture(null);
    if (checkpoint.retiresSegments()) {
      Instant cutoff = sync.clock.instant().minus(sync.settings.grace());
      old.thenCompose(ignored -> sync.log.deleteUnnamedSegments(cutoff))
          .exceptionally(
              e -> {
                LOG.log(
                    System.Logger.Level.DEBUG,
                    () -> "segment cleanup of " + sync.manifestKey + ": " + e);
                return null;
              });
    }
  }

  /** Runs cleanup after the grace period, unless the client closes first. */
  private static void cleanUpLater(StrictManifest sync, Runnable task, long millis) {
    try {
      sync.scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: leftovers are harmless and the next writer's cleanup covers them
    }
  }
}
