package io.mps3.internal.strict;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Follows a strict log (PROTOCOL B2): reads slot after slot, applying each entry, until an empty
 * one. Entries already read complete at once and are applied in a loop, not by recursion, so a long
 * backlog does not deepen the stack.
 */
final class StrictFollower {

  private StrictFollower() {}

  // Ignored futures: the callbacks complete `done` on every path; nobody waits on them.
  @SuppressWarnings("FutureReturnValueIgnored")
  static void step(StrictManifest m, CompletableFuture<Void> done) {
    while (true) {
      long next;
      synchronized (m.lock) {
        next = m.state().tip() + 1;
      }
      CompletableFuture<@Nullable StrictEntry> read = m.log.read(next);
      if (!read.isDone()) {
        read.whenComplete(
            (entry, e) -> {
              if (e != null) {
                done.completeExceptionally(e);
              } else if (entry == null) {
                m.verified(next);
                done.complete(null);
              } else {
                m.apply(entry);
                step(m, done);
              }
            });
        return;
      }
      StrictEntry entry;
      try {
        entry = read.join();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (entry == null) {
        m.verified(next);
        done.complete(null);
        return;
      }
      m.apply(entry);
    }
  }
}
