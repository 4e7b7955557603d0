package io.mps3.internal.feed;

import io.mps3.internal.manifest.Polling;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One client's strict change feed (design 0017). As a writer, it creates a marker after each entry
 * this client commits ({@link #mark}). As the {@link Polling} of the client's subscribed manifests,
 * it lists the markers once per poll interval for all of them together, starting {@link #OVERLAP}
 * before the newest marker seen, and polls only the manifests a new marker names; a {@link
 * FeedSweep} polls each manifest directly now and then, for markers that never came. Thread-safe;
 * nothing is called under its lock but collection code.
 */
public final class ChangeFeed implements Polling {

  private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());

  /** How far before the newest marker seen a listing starts: writers' clock skew, late markers. */
  public static final Duration OVERLAP = Duration.ofSeconds(10);

  private final ObjectStore store;
  private final String bucket;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final long pollMillis;
  private final FeedSweep sweep;
  private final MarkerCleanup cleanup;
  private final boolean autoclean;

  private final Object lock = new Object();

  /** The poll of each subscribed manifest, by its id in marker names. Under lock. */
  private final Map<String, Runnable> members = new HashMap<>();

  /**
   * The markers seen (their keys) since the listing's start; older ones are dropped. Under lock.
   */
  private final TreeSet<String> seen = new TreeSet<>();

  /** The newest marker time seen (at first, the time the feed started listing). Under lock. */
  private long newest = Long.MIN_VALUE;

  /** When the last listing that succeeded started, this client's clock. Under lock. */
  private long listedAt = Long.MIN_VALUE;

  private boolean listing;
  private boolean stopped;

  /**
   * @param grace the autoclean grace: markers are kept at least this long ({@link MarkerCleanup})
   * @param autoclean whether this client deletes old markers
   */
  public ChangeFeed(
      ObjectStore store,
      String bucket,
      Clock clock,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      Duration grace,
      boolean autoclean) {
    this(
        store,
        bucket,
        clock,
        scheduler,
        pollInterval,
        new FeedSweep(scheduler, pollInterval),
        new MarkerCleanup(store, bucket, clock, grace),
        autoclean);
  }

  /** With a sweep of its own: tests take it out of the way to see the listing alone at work. */
  ChangeFeed(
      ObjectStore store,
      String bucket,
      Clock clock,
      ScheduledExecutorService scheduler,
      Duration pollInterval,
      FeedSweep sweep,
      MarkerCleanup cleanup,
      boolean autoclean) {
    this.store = store;
    this.bucket = bucket;
    this.clock = clock;
    this.scheduler = scheduler;
    this.pollMillis = pollInterval.toMillis();
    this.sweep = sweep;
    this.cleanup = cleanup;
    this.autoclean = autoclean;
  }

  // -- the writer -------------------------------------------------------------------------------

  /**
   * Creates the marker of slot {@code slot} of a manifest, after the slot's entry was committed and
   * acknowledged. Never fails: a marker that is not written delays the change's delivery to the
   * subscribers' sweep, and loses nothing.
   */
  // Fire and forget: nobody waits for a marker.
  @SuppressWarnings("FutureReturnValueIgnored")
  public void mark(String manifestKey, long slot) {
    String key = ChangeMarkers.key(clock.millis(), manifestKey, slot);
    synchronized (lock) {
      seen.add(key); // this client's own commit: its manifest already has the entry
    }
    store
        .put(bucket, key, new byte[0], PutOptions.unconditional())
        .whenComplete(
            (outcome, e) -> {
              if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "change marker " + key + ": " + e);
              }
            });
    if (autoclean) {
      cleanup.maybeRun();
    }
  }

  // -- the reader -------------------------------------------------------------------------------

  @Override
  public Runnable start(String manifestKey, Runnable poll) {
    String id = ChangeMarkers.manifestId(manifestKey);
    boolean startListing;
    synchronized (lock) {
      members.put(id, poll);
      if (newest == Long.MIN_VALUE) {
        newest = clock.millis(); // the subscription's own first refresh covers what came before
      }
      startListing = !listing && !stopped;
      listing = true;
    }
    sweep.add(poll);
    if (startListing) {
      later(pollMillis);
    }
    return () -> {
      synchronized (lock) {
        members.remove(id, poll);
      }
      sweep.remove(poll);
    };
  }

  /** Stops listing and sweeping; the client closes. */
  public void stop() {
    synchronized (lock) {
      stopped = true;
      members.clear();
    }
    sweep.stop();
  }

  // Ignored future: the callback schedules the next listing on every path.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void listOnce() {
    long from;
    synchronized (lock) {
      if (stopped || members.isEmpty()) {
        listing = false;
        return;
      }
      from = since();
    }
    long started = clock.millis();
    long startedNanos = System.nanoTime();
    store
        .listAll(bucket, ChangeMarkers.PREFIX, ChangeMarkers.startAfter(from))
        .whenComplete(
            (listed, e) -> {
              if (e == null) {
                listed(listed, started).forEach(Runnable::run);
              } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "change feed listing: " + e);
              }
              // One listing per poll interval, start to start: a change waits half of it on
              // average.
              long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
              later(Math.max(0, pollMillis - took));
            });
  }

  /**
   * Takes a listing's new markers; returns the polls of the manifests they name, once each, or of
   * every manifest when the listing before succeeded so long ago that markers it needed may have
   * been cleaned up since.
   */
  private List<Runnable> listed(List<ObjectMetadata> listed, long started) {
    Map<String, Runnable> wake = new HashMap<>();
    synchronized (lock) {
      if (listedAt != Long.MIN_VALUE && started - listedAt > cleanup.keepMillis() / 2) {
        wake.putAll(members);
      }
      listedAt = started;
      for (ObjectMetadata object : listed) {
        ChangeMarkers.Marker marker = ChangeMarkers.parse(object.key());
        if (marker == null || !seen.add(object.key())) {
          continue;
        }
        newest = Math.max(newest, marker.millis());
        Runnable poll = members.get(marker.manifestId());
        if (poll != null) {
          wake.put(marker.manifestId(), poll);
        }
      }
      seen.headSet(ChangeMarkers.startAfter(since())).clear();
    }
    return new ArrayList<>(wake.values());
  }

  /**
   * Where the next listing starts: {@link #OVERLAP} before the newest marker seen or the start of
   * the last listing, whichever is later. The second keeps an idle feed's listing short after a
   * burst of markers (else it would list the burst again at every poll until cleanup); a writer
   * whose clock is behind this client's or the newest writer's by more than the overlap is found by
   * the sweep. Under lock.
   */
  private long since() {
    return Math.max(newest, listedAt) - OVERLAP.toMillis();
  }

  // Ignored future: the listing schedules the next one itself.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void later(long millis) {
    try {
      scheduler.schedule(this::listOnce, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        listing = false; // the client is closing
      }
    }
  }
}
