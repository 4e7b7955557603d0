package io.mps3.internal.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.spi.PutOptions;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import io.mps3.store.ObjectStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's listing alone (its sweep set an hour apart, so it cannot be what polls): a marker
 * wakes the manifest it names and no other, also from a writer 8 s behind; this client's own
 * markers wake nothing; a listing after a long gap wakes every manifest.
 */
class ChangeFeedTest {

  private static final String BUCKET = "feed";

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final MovableClock clock = new MovableClock();
  private final CountingObjectStore store = CountingObjectStore.wrap(ObjectStores.inMemory());
  private final ChangeFeed feed =
      new ChangeFeed(
          store,
          BUCKET,
          clock,
          scheduler,
          Duration.ofMillis(20),
          new FeedSweep(scheduler, Duration.ofHours(1)),
          new MarkerCleanup(store, BUCKET, clock, Duration.ofMinutes(5)),
          false);

  @AfterEach
  void stop() {
    feed.stop();
    scheduler.shutdownNow();
  }

  @Test
  void markerNames_sortByTime_andParseBack_whileOtherKeysAreNoMarkers() {
    String key = ChangeMarkers.key(1_765_000_000_123L, "rooms/a", 42);
    assertThat(key).matches("\\.mps3/changes/1765000000123-[0-9a-f]{16}-0{18}42");
    assertThat(ChangeMarkers.parse(key))
        .isEqualTo(
            new ChangeMarkers.Marker(1_765_000_000_123L, ChangeMarkers.manifestId("rooms/a"), 42));
    assertThat(ChangeMarkers.startAfter(1_765_000_000_123L)).isLessThan(key);
    assertThat(ChangeMarkers.startAfter(1_765_000_000_124L)).isGreaterThan(key);
    assertThat(ChangeMarkers.parse(key + "@x")).isNull();
    assertThat(ChangeMarkers.parse(key.replace("-0", "_0"))).isNull();
    assertThat(ChangeMarkers.parse(ObjectStores.class.getName())).isNull();
  }

  @Test
  void aMarker_wakesTheManifestItNames_fromAWriter8sBehindToo_butNotForThisClientsOwnCommits() {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    AtomicInteger own = new AtomicInteger();
    feed.start("A", a::incrementAndGet);
    feed.start("B", b::incrementAndGet);
    feed.start("Own", own::incrementAndGet);
    feed.mark("Own", 7); // this client committed slot 7 of Own: it has the entry already

    marker(clock.millis(), "A", 3);
    awaitTrue(() -> a.get() == 1);
    assertThat(b.get()).isZero();
    assertThat(own.get()).isZero(); // its marker came before A's: the same listing saw it

    marker(clock.millis() - 8_000, "B", 9); // written by a clock 8 s behind
    awaitTrue(() -> b.get() == 1);
    assertThat(a.get()).isEqualTo(1); // a marker wakes once, however many listings show it
    assertThat(store.count(Call.GET) + store.count(Call.HEAD)).isZero(); // the feed only lists
  }

  @Test
  void aListingLongAfterTheLastOne_wakesEveryManifest_sinceMarkersItMissedMayBeCleanedUp() {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    feed.start("A", a::incrementAndGet);
    feed.start("B", b::incrementAndGet);
    awaitTrue(() -> store.count(Call.LIST) >= 2);
    assertThat(a.get() + b.get()).isZero();
    clock.advance(Duration.ofMinutes(3)); // over half of the 5-minute keep time
    awaitTrue(() -> a.get() == 1 && b.get() == 1);
  }

  private void marker(long millis, String manifest, long slot) {
    store
        .put(
            BUCKET,
            ChangeMarkers.key(millis, manifest, slot),
            new byte[0],
            PutOptions.unconditional())
        .join();
  }

  /** Waits for a condition the feed's listings make true; fails after 10 s. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The system clock plus an offset a test moves. */
  private static final class MovableClock extends Clock {
    private final AtomicLong offset = new AtomicLong();

    void advance(Duration by) {
      offset.addAndGet(by.toMillis());
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
      return System.currentTimeMillis() + offset.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
