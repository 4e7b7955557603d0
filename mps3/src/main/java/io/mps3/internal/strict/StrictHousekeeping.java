package io.mps3.internal.strict;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What follows a commit of this client in a strict manifest (PROTOCOL B4, B5): the checkpoint every
 * {@code checkpointInterval} slots, and, after the cleanup grace, the deletion of the entries a
 * checkpoint made needless and of the content objects the commit superseded.
 */
// Fire and forget: a checkpoint or a cleanup that fails is logged or left for the next writer;
// nobody waits for them.
@SuppressWarnings("FutureReturnValueIgnored")
final class StrictHousekeeping {

  private static final System.Logger LOG = System.getLogger(StrictHousekeeping.class.getName());

  private StrictHousekeeping() {}

  /** Writes the checkpoint (if due) and schedules the cleanups; never fails the commit. */
  static void afterCommit(
      StrictManifest sync, long seq, byte @Nullable [] checkpoint, List<String> superseded) {
    StrictSettings settings = sync.settings;
    if (checkpoint != null) {
      sync.log
          .checkpoint(seq, checkpoint)
          .thenRun(
              () -> {
                long k = settings.checkpointInterval();
                if (settings.autoclean() && seq > k) {
                  cleanUpLater(
                      sync,
                      () -> sync.log.deleteBefore(seq - 2 * k + 1, seq - k),
                      settings.grace().toMillis());
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

  /** Runs cleanup after the grace period, unless the client closes first. */
  private static void cleanUpLater(StrictManifest sync, Runnable task, long millis) {
    try {
      sync.scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: leftovers are harmless and the next writer's cleanup covers them
    }
  }
}
