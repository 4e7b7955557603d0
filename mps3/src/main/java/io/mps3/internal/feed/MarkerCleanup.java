package io.mps3.internal.feed;

import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes old change markers (design 0017). A client that writes markers lists the oldest ones now
 * and then (at most once per half the keep time) and deletes those older than the keep time:
 * max(autoclean grace, {@link #MIN_KEEP}). A feed reader only needs markers newer than its newest
 * marker seen minus the 10 s overlap, and one whose listings failed for longer than half the keep
 * time polls every manifest once instead, so no reader is left needing a deleted marker. Only keys
 * that parse as markers are deleted. Thread-safe.
 */
final class MarkerCleanup {

  private static final System.Logger LOG = System.getLogger(MarkerCleanup.class.getName());

  /** The shortest time a marker is kept, whatever the autoclean grace. */
  static final Duration MIN_KEEP = Duration.ofMinutes(1);

  private final ObjectStore store;
  private final String bucket;
  private final Clock clock;
  private final long keepMillis;
  private long lastRun = Long.MIN_VALUE;
  private boolean running;

  MarkerCleanup(ObjectStore store, String bucket, Clock clock, Duration grace) {
    this.store = store;
    this.bucket = bucket;
    this.clock = clock;
    this.keepMillis = Math.max(grace.toMillis(), MIN_KEEP.toMillis());
  }

  /** How long a marker is kept. */
  long keepMillis() {
    return keepMillis;
  }

  /** Cleans up now unless it ran within half the keep time or is running. */
  // Ignored future: its callback logs a failure; nobody waits for a cleanup.
  @SuppressWarnings("FutureReturnValueIgnored")
  void maybeRun() {
    long now = clock.millis();
    synchronized (this) {
      if (running || (lastRun != Long.MIN_VALUE && now - lastRun < keepMillis / 2)) {
        return;
      }
      running = true;
      lastRun = now;
    }
    long cutoff = now - keepMillis;
    page(ListRequest.prefix(ChangeMarkers.PREFIX), cutoff)
        .whenComplete(
            (v, e) -> {
              synchronized (this) {
                running = false;
              }
              if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "change marker cleanup: " + e);
              }
            });
  }

  /** Deletes the old markers of one page (oldest first); goes on while the page was all old. */
  private CompletableFuture<Void> page(ListRequest request, long cutoff) {
    return store
        .list(bucket, request)
        .thenCompose(
            page -> {
              List<CompletableFuture<Void>> deletes = new ArrayList<>();
              boolean allOld = true;
              for (ObjectMetadata object : page.objects()) {
                ChangeMarkers.Marker marker = ChangeMarkers.parse(object.key());
                if (marker != null && marker.millis() < cutoff) {
                  deletes.add(store.delete(bucket, object.key()));
                } else if (marker != null) {
                  allOld = false; // names sort by time: the rest are newer still
                }
              }
              CompletableFuture<Void> done =
                  CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0]));
              return allOld ? done.thenCompose(ignored -> nextPage(page, request, cutoff)) : done;
            });
  }

  private CompletableFuture<Void> nextPage(ListPage page, ListRequest request, long cutoff) {
    String token = page.nextContinuationToken();
    return token == null
        ? CompletableFuture.completedFuture(null)
        : page(request.withContinuationToken(token), cutoff);
  }
}
