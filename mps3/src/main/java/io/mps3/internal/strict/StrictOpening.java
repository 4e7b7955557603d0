package io.mps3.internal.strict;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one open under way of a strict manifest: registered under the manifest's lock, started once
 * the lock is released. A store may run its calls on the thread that makes them (the {@code
 * ObjectStore} contract), so an open started under the lock would hold it for the whole open.
 * Guarded by the manifest's lock.
 */
final class StrictOpening {

  /** An open as registered: {@link #start()} it holding no lock. */
  record Start(CompletableFuture<Void> done, @Nullable CompletableFuture<Void> trigger) {

    /** Starts the open if this call registered it; completes when the state is loaded. */
    CompletableFuture<Void> start() {
      if (trigger != null) {
        trigger.complete(null);
      }
      return done;
    }
  }

  private final Object lock;
  private final Supplier<CompletableFuture<Void>> storeChecked;
  private @Nullable CompletableFuture<Void> opening;

  StrictOpening(Object lock, Supplier<CompletableFuture<Void>> storeChecked) {
    this.lock = lock;
    this.storeChecked = storeChecked;
  }

  /** Whether an open is under way. Under the lock. */
  boolean underWay() {
    return opening != null;
  }

  /**
   * Under the lock: the open under way, else a new one that checks the store, then runs {@code
   * open}. A failed open is forgotten: the next call tries again.
   */
  // Ignored future: the callback only forgets a failed open; callers wait on the open itself.
  @SuppressWarnings("FutureReturnValueIgnored")
  Start register(Supplier<CompletableFuture<Void>> open) {
    CompletableFuture<Void> current = opening;
    if (current != null) {
      return new Start(current, null);
    }
    CompletableFuture<Void> trigger = new CompletableFuture<>();
    CompletableFuture<Void> done =
        trigger.thenCompose(x -> storeChecked.get()).thenCompose(x -> open.get());
    opening = done;
    done.whenComplete(
        (v, e) -> {
          if (e != null) {
            synchronized (lock) {
              if (opening == done) {
                opening = null;
              }
            }
          }
        });
    return new Start(done, trigger);
  }
}
