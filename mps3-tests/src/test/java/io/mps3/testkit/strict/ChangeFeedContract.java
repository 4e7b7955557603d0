package io.mps3.testkit.strict;

import static io.mps3.testkit.Eventually.eventually;
import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.WriteOptions;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.ManualClock;
import io.mps3.testkit.Recorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The strict change feed (design 0017) on a real store: subscriptions to many manifests cost one
 * LIST per poll while idle, a change on one is delivered, a change whose marker was lost is
 * delivered by the sweep, and old markers are deleted. Request counts are asserted, times never.
 */
abstract class ChangeFeedContract {

  private static final String MARKERS = ".mps3/changes/";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<StrictAsyncClient> clients = new ArrayList<>();

  protected abstract ObjectStore store();

  protected abstract String bucket();

  @AfterEach
  void closeClients() {
    clients.forEach(StrictAsyncClient::close);
  }

  private StrictAsyncClient client(ObjectStore over, boolean feed, Clock clock, Duration poll) {
    StrictAsyncClient client =
        StrictAsyncClient.create(
            Mps3Config.builder()
                .store(over)
                .bucket(bucket())
                .strictProtocol()
                .changeFeed(feed)
                .clock(clock)
                .pollInterval(poll)
                .build());
    clients.add(client);
    return client;
  }

  private String manifest(int i) {
    return "feed-" + run + "/m" + i;
  }

  /** Writes 0 to key k of manifests 0..n-1 and subscribes to each; waits for the first values. */
  private List<Recorder> subscribeTo(int n, StrictAsyncClient writer, StrictAsyncClient reader) {
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      await(writer.put("k", 0, WriteOptions.manifests(manifest(i))));
    }
    for (int i = 0; i < n; i++) {
      Recorder recorder = new Recorder();
      reader.subscribe("k", ReadOptions.manifest(manifest(i)), recorder);
      recorders.add(recorder);
    }
    recorders.forEach(r -> r.awaitCount(1, WAIT));
    return recorders;
  }

  @Test
  void idleSubscriptionsToManyManifests_costAListPerPoll_andAChangeOnOneIsDelivered() {
    int n = 40;
    CountingObjectStore counting = CountingObjectStore.wrap(store());
    StrictAsyncClient writer = client(store(), true, Clock.systemUTC(), Duration.ofSeconds(1));
    StrictAsyncClient reader = client(counting, true, Clock.systemUTC(), Duration.ofMillis(100));
    List<Recorder> recorders = subscribeTo(n, writer, reader);

    // One more listing after every manifest opened: it wakes those the markers of the writes
    // above name, if the listings before did not; from then on the feed is idle.
    long before = counting.count(Call.LIST);
    eventually(WAIT, () -> assertThat(counting.count(Call.LIST)).isGreaterThan(before + 1));
    counting.reset();
    eventually(WAIT, () -> assertThat(counting.count(Call.LIST)).isGreaterThanOrEqualTo(8));
    long lists = counting.count(Call.LIST);
    long gets = counting.count(Call.GET) + counting.count(Call.HEAD);
    // Polling each manifest would cost n GETs per poll; the feed costs its LIST, and the sweep
    // at most one GET per 125 ms (about one per 100 ms poll), whatever n is.
    assertThat(gets).isLessThanOrEqualTo(2 * lists + 4).isLessThan(n);
    assertThat(counting.count(Call.PUT)).isZero();

    await(writer.put("k", 1, WriteOptions.manifests(manifest(n - 1))));
    recorders.get(n - 1).await(c -> c.value().equals(Optional.of(IntNode.valueOf(1))), WAIT);
    for (int i = 0; i < n - 1; i++) {
      assertThat(recorders.get(i).changes()).hasSize(1); // only the changed manifest was told
    }
  }

  @Test
  void aCommitWhoseMarkerIsLost_stands_andIsDeliveredByTheSweep() {
    FaultInjectingObjectStore noMarkers =
        FaultInjectingObjectStore.wrap(
            store(), new FaultInjectingObjectStore.Plan(1.0, 0, 0, Duration.ZERO), 17);
    noMarkers.target(key -> key.startsWith(MARKERS));
    StrictAsyncClient writer = client(noMarkers, true, Clock.systemUTC(), Duration.ofSeconds(1));
    StrictAsyncClient reader = client(store(), true, Clock.systemUTC(), Duration.ofMillis(50));
    List<Recorder> recorders = subscribeTo(3, writer, reader);

    await(writer.put("k", 7, WriteOptions.manifests(manifest(1)))); // the marker fails, not this
    recorders.get(1).await(c -> c.value().equals(Optional.of(IntNode.valueOf(7))), WAIT);
    assertThat(noMarkers.injected().get(FaultInjectingObjectStore.Fault.BEFORE)).isPositive();
  }

  @Test
  void aWriter_putsOneMarkerPerCommit_andDeletesMarkersOlderThanTheGrace() {
    ManualClock clock = new ManualClock(Instant.now());
    CountingObjectStore counting = CountingObjectStore.wrap(store());
    StrictAsyncClient writer = client(counting, true, clock, Duration.ofSeconds(1));
    await(writer.put("k", 1, WriteOptions.manifests(manifest(0))));
    String id = id(manifest(0));
    eventually(WAIT, () -> assertThat(markersOf(id)).hasSize(1));
    // The next commit: its entry and its marker, two PUTs (the cleanup is not due yet).
    counting.reset();
    await(writer.put("k", 2, WriteOptions.manifests(manifest(0))));
    eventually(WAIT, () -> assertThat(markersOf(id)).hasSize(2));
    assertThat(counting.count(Call.PUT)).isEqualTo(2);
    assertThat(counting.count(Call.LIST) + counting.count(Call.DELETE)).isZero();

    clock.advance(Duration.ofMinutes(6)); // past the 5-minute grace: both markers may go
    await(writer.put("k", 3, WriteOptions.manifests(manifest(0))));
    String newest = MARKERS + String.format("%013d", clock.millis());
    eventually(
        WAIT,
        () ->
            assertThat(markersOf(id))
                .singleElement()
                .satisfies(key -> assertThat(key).startsWith(newest)));
  }

  private List<String> markersOf(String id) {
    return await(store().listAll(bucket(), MARKERS, null)).stream()
        .map(ObjectMetadata::key)
        .filter(key -> key.contains("-" + id + "-"))
        .toList();
  }

  private static String id(String manifestKey) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(manifestKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
