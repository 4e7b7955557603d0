package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a listing of a manifest's log into its state (PROTOCOL.md A4.4-A4.5): the newest
 * readable entry is the base, and the updates of the entries strictly less than the window (5 s)
 * older than it are replayed, oldest first, the base's own included, exactly as the JavaScript
 * client 0.0.81 does. Every entry of that window counts: none can be skipped unread (design record
 * 0018), but only the base is needed whole, so the others are kept as their update alone, and the
 * base's state is copied once and patched in place. A base whose window claim covers its window
 * exactly needs none of them (design record 0024). Thread-safe.
 */
final class CausalReplay {

  private final CausalEntries entries;
  private final Duration window;
  private final boolean claims;

  /**
   * @param claims whether a base's window claim is trusted (design 0024)
   */
  CausalReplay(CausalEntries entries, Duration window, boolean claims) {
    this.entries = entries;
    this.window = window;
    this.claims = claims;
  }

  /** The state a listing (valid entries, newest first) resolves to; empty when none is readable. */
  CompletableFuture<ObjectNode> state(List<ListedEntry> listed) {
    // A newest entry already at hand (this client's own, or the one the change marker named, read
    // beside the LIST) is looked at first: when its window claim covers exactly the entries listed
    // in its window, replaying them would change nothing, so they are not read (design 0024).
    // Otherwise, or when it is not at hand, the base and its window are read together as before.
    if (claims && !listed.isEmpty() && entries.wholeAtHand(listed.get(0).key().objectKey())) {
      return entries
          .whole(listed.get(0).key().objectKey())
          .thenCompose(
              base -> {
                if (base != null) {
                  WindowClaim claim = WindowClaim.of(base.state());
                  if (claim != null
                      && claim.covers(
                          listed.get(0).key().objectKey(),
                          WindowClaim.window(listed, 0, window.toMillis()))) {
                    ObjectNode state = base.state().deepCopy();
                    JsonMergePatch.applyInPlace(state, base.update());
                    return CompletableFuture.completedFuture(state);
                  }
                }
                return replayed(listed);
              });
    }
    return replayed(listed);
  }

  /** Every entry of the base's window replayed on the base (PROTOCOL.md A4.4-A4.5). */
  private CompletableFuture<ObjectNode> replayed(List<ListedEntry> listed) {
    return findBase(listed, 0)
        .thenCompose(
            base -> {
              if (base == null) {
                return CompletableFuture.completedFuture(CausalEntry.emptyState());
              }
              // The base's window: entries strictly less than 5 s older than it (as the JS client).
              long baseTime = listed.get(base.index()).key().time();
              List<ListedEntry> replayed = new ArrayList<>();
              for (int i = base.index(); i < listed.size(); i++) {
                if (listed.get(i).key().time() > baseTime - window.toMillis()) {
                  replayed.add(listed.get(i));
                }
              }
              // Every entry of the window counts (design 0018: none can be skipped unread), but
              // of all but the base only the update is needed and kept.
              List<CompletableFuture<@Nullable ObjectNode>> updates = new ArrayList<>();
              for (ListedEntry l : replayed) {
                updates.add(entries.update(l.key().objectKey()));
              }
              return CompletableFuture.allOf(updates.toArray(new CompletableFuture<?>[0]))
                  .thenApply(
                      ignored -> {
                        ObjectNode state = base.entry().state().deepCopy(); // once, then in place
                        for (int i = updates.size() - 1; i >= 0; i--) {
                          ObjectNode update = updates.get(i).join();
                          if (update != null) {
                            JsonMergePatch.applyInPlace(state, update);
                          }
                        }
                        return state;
                      });
            });
  }

  /** The newest readable entry: its index in the listing and its body. */
  private record Base(int index, CausalEntry entry) {}

  /**
   * The newest readable entry at or after {@code from}, or null. The first is read whole and the
   * others of its window (which the replay needs anyway) at the same time, in parallel, so
   * unreadable entries (garbage) cost one round per window and never hide the readable entries
   * behind them; when the first is unreadable, the next readable one is read whole once more.
   */
  private CompletableFuture<@Nullable Base> findBase(List<ListedEntry> listed, int from) {
    if (from >= listed.size()) {
      return CompletableFuture.completedFuture(null);
    }
    long limit = listed.get(from).key().time() - window.toMillis();
    int to = from + 1;
    while (to < listed.size() && listed.get(to).key().time() > limit) {
      to++;
    }
    CompletableFuture<@Nullable CausalEntry> first =
        entries.whole(listed.get(from).key().objectKey());
    List<CompletableFuture<@Nullable ObjectNode>> rest = new ArrayList<>();
    for (int i = from + 1; i < to; i++) {
      rest.add(entries.update(listed.get(i).key().objectKey()));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(rest);
    all.add(first);
    int end = to;
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenCompose(
            ignored -> {
              CausalEntry entry = first.join();
              if (entry != null) {
                return CompletableFuture.completedFuture(new Base(from, entry));
              }
              for (int i = 0; i < rest.size(); i++) {
                if (rest.get(i).join() != null) {
                  return findBase(listed, from + 1 + i); // readable: read it whole
                }
              }
              return findBase(listed, end);
            });
  }
}
