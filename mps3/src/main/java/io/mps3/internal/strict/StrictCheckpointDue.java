package io.mps3.internal.strict;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint due after a slot this client wrote (design 0016): planned at once when this client
 * knows the previous checkpoint's index (it wrote it, or opened from it); otherwise planned on a
 * copy of the state once that index is read (one GET), so that a client taking turns with others
 * writes a delta too instead of a whole new base.
 */
final class StrictCheckpointDue {

  private final long interval;
  private final @Nullable StrictCheckpointPlan ready;
  private final @Nullable StrictState copy;

  private StrictCheckpointDue(
      long interval, @Nullable StrictCheckpointPlan ready, @Nullable StrictState copy) {
    this.interval = interval;
    this.ready = ready;
    this.copy = copy;
  }

  /** The checkpoint of {@code state} at its tip. Under the owner's lock. */
  static StrictCheckpointDue of(StrictState state, long interval) {
    StrictIndex previous = state.index();
    if (previous != null
        && previous.seq() == state.tip() - interval
        && previous.base().to() >= state.horizon()) {
      return new StrictCheckpointDue(interval, StrictCheckpointPlan.of(state, interval), null);
    }
    return new StrictCheckpointDue(interval, null, state.copy());
  }

  /**
   * The plan; reads the previous index first when this client does not know it.
   *
   * @param own the index of this client's last checkpoint, written; null if none or it failed
   */
  CompletableFuture<StrictCheckpointPlan> plan(StrictLog log, @Nullable StrictIndex own) {
    if (ready != null) {
      return CompletableFuture.completedFuture(ready);
    }
    StrictState state = copy;
    if (state == null) {
      throw new IllegalStateException("a due checkpoint has either a plan or a state");
    }
    long previous = state.tip() - interval;
    CompletableFuture<@Nullable StrictIndex> read =
        own != null && own.seq() == previous
            ? CompletableFuture.completedFuture(own)
            : previous > 0 ? log.readIndex(previous) : CompletableFuture.completedFuture(null);
    return read.thenApply(
        index -> {
          if (index != null) {
            state.continueFrom(index); // ignored when this state no longer knows what it needs
          }
          return StrictCheckpointPlan.of(state, interval);
        });
  }
}
