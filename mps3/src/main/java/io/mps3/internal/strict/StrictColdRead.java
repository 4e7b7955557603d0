package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Versioned;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The plain reads of a strict manifest this client has not opened yet (design 0022): each answers
 * from a {@link StrictColdLookup} of its key instead of waiting for the whole state. The first one
 * also starts the open, which continues from what its lookup read once the reader has its answer;
 * the open then publishes no state older than a cold answer already given. Writes, transactions,
 * {@code keys} and subscriptions wait for the whole open, as before. Thread-safe: its field is
 * under the manifest's lock.
 */
final class StrictColdRead {

  /**
   * Side lookups in flight at most: beyond, a get waits for the open. Each reads the head, the
   * index, the LIST and the entries again; a burst of first gets must not multiply that unbounded.
   */
  static final int MAX_SIDE_LOOKUPS = 4;

  private final StrictManifest sync;

  /** Side lookups in flight. Under the manifest's lock. */
  private int sideLookups;

  /**
   * Whether a lookup found an old whole-state checkpoint (before design 0016): its lookup parses
   * the whole state, so further gets wait for the open instead. Under the manifest's lock.
   */
  private boolean wholeState;

  /** The newest tip a cold answer was read at. Under the manifest's lock. */
  private long answeredTip;

  /**
   * The tip of the state the open is about to publish, once it has caught up with every cold answer
   * ({@code -1} before): a lookup that ends after that at a newer tip is not answered from, since
   * the state published next would be older than its answer. Under the manifest's lock.
   */
  private long publishingTip = -1;

  StrictColdRead(StrictManifest sync) {
    this.sync = sync;
  }

  /**
   * The slot of file {@code url} after a look at the log; null when absent. Cold while the state is
   * not open, else (or when the lookup falls back) from the state after a refresh.
   */
  // Ignored future: the open's failure is handed to the answer; callers of the open wait on it.
  @SuppressWarnings("FutureReturnValueIgnored")
  CompletableFuture<@Nullable StrictSlot> slot(String url) {
    CompletableFuture<StrictColdLookup.@Nullable Found> answer = new CompletableFuture<>();
    boolean side;
    StrictOpening.Start open = null;
    synchronized (sync.lock) { // the check and the registration of the open at once: one leader
      if (sync.currentState() != null) {
        answer.complete(null); // open: the usual read
        side = false;
      } else {
        side = sync.opening(); // another read or a write started the open
        if (!side) {
          open = sync.startOpen(() -> lead(url, answer));
        }
      }
    }
    if (open != null) {
      open.start() // outside the lock, see StrictOpening
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  answer.completeExceptionally(e); // the store check failed: no lookup ran
                }
              });
    }
    CompletableFuture<StrictColdLookup.@Nullable Found> cold = answer;
    if (side) {
      synchronized (sync.lock) {
        side = !wholeState && sideLookups < MAX_SIDE_LOOKUPS;
        sideLookups += side ? 1 : 0;
      }
      cold =
          side
              ? sync.storeChecked()
                  .thenCompose(ignored -> lookup(url))
                  .whenComplete((found, e) -> endSideLookup())
              : CompletableFuture.completedFuture(null); // the open answers
    }
    return cold.thenCompose(found -> found == null ? fromState(url) : done(found.slot()));
  }

  private void endSideLookup() {
    synchronized (sync.lock) {
      sideLookups--;
    }
  }

  /**
   * The open the first cold read starts: its lookup, whose answer is handed to the reader before
   * the rest of the open begins, then the open continuing from what the lookup read (or a plain
   * open when the lookup found nothing).
   */
  private CompletableFuture<StrictState> lead(
      String url, CompletableFuture<StrictColdLookup.@Nullable Found> answer) {
    return lookup(url)
        .whenComplete(
            (found, e) -> {
              if (e != null) {
                answer.completeExceptionally(e);
              }
            })
        .thenCompose(
            found -> {
              answer.complete(found); // the reader's dependents run now, before the rest begins
              synchronized (sync.lock) {
                if (sync.closed) { // nobody will read the state: do not read the rest
                  return CompletableFuture.failedFuture(
                      new IllegalStateException("the client was closed while opening"));
                }
              }
              return found == null ? sync.log.open() : sync.log.open(found.seed());
            });
  }

  private CompletableFuture<StrictColdLookup.@Nullable Found> lookup(String url) {
    long started = sync.clock.millis();
    return StrictColdLookup.read(sync.log, url)
        .thenApply(
            found -> {
              if (found != null) {
                synchronized (sync.lock) {
                  wholeState |= found.seed().checkpoint().whole() != null;
                  long took = sync.clock.millis() - started;
                  if (took < 0 || took > sync.settings.grace().toMillis() / 2) {
                    // Slots may have been cleaned up under a lookup this slow: an empty slot
                    // it took for the end of the log may not be. The open checks the head again.
                    return null;
                  }
                  if (publishingTip >= 0 && found.tip() > publishingTip) {
                    return null; // too late to be caught up with: the reader reads the state
                  }
                  answeredTip = Math.max(answeredTip, found.tip()); // before the reader sees it
                }
              }
              return found;
            });
  }

  /**
   * The state {@code loaded}, followed at least up to every tip a cold answer was read at, so that
   * the state published is never older than an answer already given. A slot a cold read saw that is
   * gone now was cleaned up past: the open starts again from the head, once.
   *
   * <p>A lookup that ends after this check, at a tip newer than the state's, is not answered from
   * (its reader reads the state once published and followed), so no answer is newer than what
   * subscriptions see first.
   */
  CompletableFuture<StrictState> caughtUp(StrictState loaded) {
    return caughtUp(loaded, true);
  }

  private CompletableFuture<StrictState> caughtUp(StrictState loaded, boolean mayReopen) {
    synchronized (sync.lock) {
      if (loaded.tip() >= answeredTip) {
        publishingTip = loaded.tip();
        return CompletableFuture.completedFuture(loaded);
      }
    }
    return sync.log
        .read(loaded.tip() + 1)
        .thenCompose(
            entry -> {
              if (entry != null) {
                loaded.apply(entry);
                return caughtUp(loaded, mayReopen);
              }
              if (!mayReopen) {
                throw new IllegalStateException(
                    "the log of manifest "
                        + sync.manifestKey
                        + " was cleaned up past slot "
                        + (loaded.tip() + 1)
                        + ", which a read had seen, twice while opening it");
              }
              return sync.log.open().thenCompose(reopened -> caughtUp(reopened, false));
            });
  }

  /** A plain get of file {@code url}: cold while the state is not open; null when it is. */
  @Nullable CompletableFuture<Optional<JsonNode>> value(String url) {
    synchronized (sync.lock) {
      if (sync.currentState() != null) {
        return null;
      }
    }
    return slot(url)
        .thenCompose(
            slot ->
                slot == null
                    ? CompletableFuture.completedFuture(Optional.<JsonNode>empty())
                    : sync.valueOf(url, slot).thenApply(Optional::ofNullable));
  }

  /** The value of file {@code url} and its version (its slot), cold while the state is not open. */
  CompletableFuture<Optional<Versioned>> versioned(String url) {
    return slot(url)
        .thenCompose(
            slot ->
                slot == null
                    ? CompletableFuture.completedFuture(Optional.<Versioned>empty())
                    : sync.valueOf(url, slot)
                        .thenApply(
                            value ->
                                value == null
                                    ? Optional.<Versioned>empty()
                                    : Optional.of(new Versioned(value, slot.seq()))));
  }

  /** The slot of {@code url} in the state, brought up to date first. */
  private CompletableFuture<@Nullable StrictSlot> fromState(String url) {
    return sync.refresh()
        .thenApply(
            ignored -> {
              synchronized (sync.lock) {
                return sync.state().slot(url);
              }
            });
  }

  private static CompletableFuture<@Nullable StrictSlot> done(@Nullable StrictSlot slot) {
    return CompletableFuture.completedFuture(slot);
  }
}
