package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Whether an entry in the log carries a window claim that could mislead a reader (design 0024):
 * what a gateway asks of an entry before it lets it through, since a reader that trusts a false
 * claim resolves another state than one that replays the window (the JavaScript client).
 */
public final class WindowClaimCheck {

  private WindowClaimCheck() {}

  /**
   * Why entry {@code entryKey}'s claim is false, or null when it has none, names another entry, or
   * is true. A claim is false when it counts more entries than its window holds (it would match
   * once entries yet to be written landed) or when it covers the window as listed now and replaying
   * that window would change the state. A claim that covers another set of entries than the window
   * holds is never trusted, now or later: a window only gains entries, and a claim counting fewer
   * or as many matches no larger set.
   *
   * @param log the manifest's log, with the entry in it (the listing must show it)
   */
  public static CompletableFuture<@Nullable String> problem(CausalLog log, String entryKey) {
    return log.entries
        .whole(entryKey)
        .thenCompose(
            entry -> {
              WindowClaim claim = entry == null ? null : WindowClaim.of(entry.state());
              if (entry == null || claim == null || !claim.entry().equals(entryKey)) {
                return CompletableFuture.completedFuture(null);
              }
              return log.listLog().thenCompose(listed -> problem(log, entry, claim, listed));
            });
  }

  private static CompletableFuture<@Nullable String> problem(
      CausalLog log, CausalEntry entry, WindowClaim claim, List<ListedEntry> listed) {
    int at = -1;
    for (int i = 0; i < listed.size() && at < 0; i++) {
      if (listed.get(i).key().objectKey().equals(claim.entry())) {
        at = i;
      }
    }
    if (at < 0) {
      return CompletableFuture.completedFuture(null); // dropped by every reader (skewed)
    }
    List<ListedEntry> window = WindowClaim.window(listed, at, log.settings.window().toMillis());
    if (claim.entries() > window.size()) {
      return CompletableFuture.completedFuture(
          "its window claim counts "
              + claim.entries()
              + " entries where the log holds "
              + window.size());
    }
    if (!claim.covers(claim.entry(), window)) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<@Nullable ObjectNode>> updates = new ArrayList<>();
    for (int i = window.size() - 1; i >= 0; i--) { // oldest first
      updates.add(log.entries.update(window.get(i).key().objectKey()));
    }
    return CompletableFuture.allOf(updates.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<ObjectNode> replayed = new ArrayList<>();
              for (CompletableFuture<@Nullable ObjectNode> update : updates) {
                ObjectNode u = update.join();
                if (u != null) {
                  replayed.add(u);
                }
              }
              return WindowClaim.changesNothing(entry.state(), replayed, entry.update())
                  ? null
                  : "its window claim is false: replaying the "
                      + window.size()
                      + " entries of its window changes the state it carries";
            });
  }
}
