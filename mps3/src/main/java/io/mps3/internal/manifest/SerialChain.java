package io.mps3.internal.manifest;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one path by which a manifest changes its state: steps (refreshes, commits) run one at a time,
 * in the order they were queued, so a stale read can never overwrite a newer write. A refresh that
 * has not started yet is shared by every caller that asks for one meanwhile: a read still sees
 * everything committed before it asked, and a burst of reads costs one refresh. Thread-safe. Its
 * monitor is held only to link steps, never while one runs: a step takes its manifest's lock, and a
 * caller may hold that lock while it queues a step.
 *
 * <p>A step starts on the chain's executor, never on the thread that queued it: a caller's put
 * returns at once (a write acknowledged locally does not wait for its commit to start), and a
 * caller's thread never runs a commit under a lock the caller holds.
 */
public final class SerialChain {

  private final Executor executor;

  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
  private @Nullable CompletableFuture<?> queuedRefresh;

  /** Steps queued and not ended: failed by {@link #stop}, since the executor may drop them. */
  private final Set<CompletableFuture<?>> unfinished =
      Collections.newSetFromMap(new IdentityHashMap<>());

  private @Nullable RuntimeException stopped;

  public SerialChain(Executor executor) {
    this.executor = executor;
  }

  /** Queues a step after every step queued before; it starts when they end, whatever their end. */
  // Ignored futures: whenComplete hands both outcomes to next. Equality: `unfinished` is an
  // identity set.
  @SuppressWarnings({"FutureReturnValueIgnored", "CollectionUndefinedEquality"})
  <T> CompletableFuture<T> then(Supplier<CompletableFuture<T>> step) {
    CompletableFuture<T> next = new CompletableFuture<>();
    CompletableFuture<?> previous;
    synchronized (this) {
      if (stopped != null) {
        return CompletableFuture.failedFuture(stopped);
      }
      previous = tail;
      tail = next;
      unfinished.add(next);
    }
    next.whenComplete(
        (v, e) -> {
          synchronized (this) {
            unfinished.remove(next);
          }
        });
    previous
        .handle((r, e) -> null)
        .thenComposeAsync(ignored -> started(step), executor)
        .whenComplete(
            (value, error) -> {
              if (error != null) {
                next.completeExceptionally(error);
              } else {
                next.complete(value);
              }
            });
    return next;
  }

  /** Queues a step that reports its own outcome (a commit completes its writes' futures). */
  public <T> void queue(Supplier<CompletableFuture<T>> step) {
    CompletableFuture<T> unused = then(step); // the step tells whom it concerns
  }

  /** Queues a refresh, or joins the one queued and not started yet. */
  // unchecked: a chain's refreshes are all of one type, its manifest's; the ignored future's
  // callback hands both outcomes to refreshed.
  @SuppressWarnings({"unchecked", "FutureReturnValueIgnored"})
  public <T> CompletableFuture<T> refresh(Supplier<CompletableFuture<T>> step) {
    CompletableFuture<T> refreshed;
    synchronized (this) {
      if (queuedRefresh != null) {
        return (CompletableFuture<T>) queuedRefresh;
      }
      refreshed = new CompletableFuture<>();
      queuedRefresh = refreshed;
    }
    then(() -> {
          synchronized (this) {
            queuedRefresh = null; // from now on a new caller needs a new refresh
          }
          return step.get();
        })
        .whenComplete(
            (value, error) -> {
              if (error != null) {
                refreshed.completeExceptionally(error);
              } else {
                refreshed.complete(value);
              }
            });
    return refreshed;
  }

  /**
   * Fails every step not ended, and each step queued later, with {@code failure}; the manifest
   * stops. Without it, a step whose start the stopped executor dropped would leave its callers
   * waiting for ever (a transaction that refreshed as its client closed hung).
   */
  public void stop(RuntimeException failure) {
    List<CompletableFuture<?>> waiting;
    synchronized (this) {
      stopped = failure;
      waiting = List.copyOf(unfinished);
      unfinished.clear();
    }
    waiting.forEach(step -> step.completeExceptionally(failure));
  }

  /** Whether no step runs or waits. */
  public synchronized boolean idle() {
    return tail.isDone();
  }

  /** Runs a step; a step that throws fails its future instead. */
  private static <T> CompletableFuture<T> started(Supplier<CompletableFuture<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
