package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a gateway asks of a causal entry before it lets it into the log: whether every reader takes
 * it as the resolution that checked it did. Readers drop an entry whose time is 5 s or more from
 * its LastModified, and a reader that trusts a false window claim (design 0024) resolves another
 * state than one that replays the window (the JavaScript client).
 */
public final class CausalWriteCheck {

  private CausalWriteCheck() {}

  /**
   * Why entry {@code entryKey} should not be let into the log, or null.
   *
   * <ul>
   *   <li>Not listed as a valid entry: readers would drop it (time 5 s or more from the store's
   *       clock), so the resolution that checked it judged a log without it; once it lands a second
   *       later, it might be valid and read with whatever it holds.
   *   <li>Its window claim counts more entries than its window holds: it would match once entries
   *       yet to be written landed.
   *   <li>Its claim covers the window as listed now, and replaying that window changes the state.
   * </ul>
   *
   * A claim that names another entry, or covers another set of entries than the window holds, is
   * never trusted, now or later, as long as entries are never rewritten or deleted (the gateway
   * lets neither through for its callers): a window only gains entries, and a claim counting fewer
   * or as many matches no larger set.
   *
   * @param log the manifest's log, with the entry in it as the store will hold it
   */
  public static CompletableFuture<@Nullable String> problem(CausalLog log, String entryKey) {
    return log.listLog()
        .thenCompose(
            listed -> {
              int at = -1;
              for (int i = 0; i < listed.size() && at < 0; i++) {
                if (listed.get(i).key().objectKey().equals(entryKey)) {
                  at = i;
                }
              }
              if (at < 0) {
                return CompletableFuture.completedFuture(
                    "readers would drop it: its time is "
                        + log.settings.window().toSeconds()
                        + " s or more from the store's clock");
              }
              int index = at;
              return log.entries
                  .whole(entryKey)
                  .thenCompose(
                      entry -> {
                        WindowClaim claim = entry == null ? null : WindowClaim.of(entry.state());
                        return entry == null || claim == null || !claim.entry().equals(entryKey)
                            ? CompletableFuture.<@Nullable String>completedFuture(null)
                            : problem(log, entry, claim, listed, index);
                      });
            });
  }

  private static CompletableFuture<@Nullable String> problem(
      CausalLog log, CausalEntry entry, WindowClaim claim, List<ListedEntry> listed, int at) {
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
