package io.mps3.internal.strict;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Who owns a slot, as a writer whose create of it lost its answer learns it (PROTOCOL B3, design
 * 0020): the op of the slot's entry when it can be read; when it is empty but this client's state
 * is past it, cleanup deleted it, and the {@code op} of its entry is what this state or the first
 * checkpoint from it on remembers, if either does.
 *
 * @param op the op of the slot's entry; null when the slot is empty, or cleaned up and forgotten
 * @param cleaned whether the slot was cleaned up
 */
record StrictSlotOwner(@Nullable String op, boolean cleaned) {

  /** The slot is empty: its entry has not landed (yet). */
  boolean empty() {
    return op == null && !cleaned;
  }

  /** The slot was cleaned up and nothing remembers who owned it: that cannot be learnt. */
  boolean forgotten() {
    return op == null && cleaned;
  }

  /**
   * Reads slot {@code n}, and applies its entry if it is the next one. An empty slot at or before
   * this client's tip was deleted by cleanup (a slot, once written, stays until then): its owner's
   * op is looked up, in the state first, then (a LIST and a GET, only on this failure path) in the
   * first checkpoint listed from it on.
   */
  static CompletableFuture<StrictSlotOwner> read(StrictManifest sync, long n) {
    long tip; // before the read: a slot written and applied after it is not a cleaned one
    synchronized (sync.lock) {
      StrictState state = sync.currentState();
      tip = state == null ? 0 : state.tip();
    }
    return sync.log
        .read(n)
        .thenCompose(
            entry -> {
              if (entry != null) {
                sync.apply(entry);
                return CompletableFuture.completedFuture(new StrictSlotOwner(entry.op(), false));
              }
              if (tip < n) {
                return CompletableFuture.completedFuture(new StrictSlotOwner(null, false));
              }
              String known;
              synchronized (sync.lock) {
                known = sync.state().op(n);
              }
              if (known != null) {
                return CompletableFuture.completedFuture(new StrictSlotOwner(known, true));
              }
              return sync.log.opOf(n).thenApply(op -> new StrictSlotOwner(op, true));
            });
  }
}
