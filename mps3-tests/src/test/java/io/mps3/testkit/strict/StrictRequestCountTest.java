package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.spi.ObjectStore;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.ManualClock;
import io.mps3.testkit.Recorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests per operation of the strict protocol, on an in-memory store behind a counting decorator:
 * deterministic, so asserted exactly. The goal of issue #5: one request per small put.
 */
class StrictRequestCountTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final ObjectStore memory = ObjectStores.inMemory(clock);
  private final CountingObjectStore store = CountingObjectStore.wrap(memory);
  private final List<StrictAsyncClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(StrictAsyncClient::close);
  }

  private StrictAsyncClient client(ObjectStore over, Mps3Config.Builder options) {
    StrictAsyncClient client =
        StrictAsyncClient.create(
            options
                .store(over)
                .bucket("counts")
                .clock(clock)
                .strictProtocol()
                .pollInterval(Duration.ofHours(1)) // only explicit refreshes poll
                .build());
    clients.add(client);
    return client;
  }

  private StrictAsyncClient client() {
    return client(store, Mps3Config.builder());
  }

  private Map<Call, Long> counted(Runnable action) {
    store.reset();
    action.run();
    return store.counts();
  }

  private static Map<Call, Long> counts(long get, long put, long list, long delete) {
    Map<Call, Long> expected = new EnumMap<>(Call.class);
    expected.put(Call.GET, get);
    expected.put(Call.PUT, put);
    expected.put(Call.HEAD, 0L);
    expected.put(Call.DELETE, delete);
    expected.put(Call.LIST, list);
    return expected;
  }

  @Test
  void firstUseOfABucket_checksItsCreatesOnce_andRecordsTheAnswer() {
    // GET of the record (absent), 16 rounds of 16 racing creates, one create of an existing key,
    // the record, 16 deletes of the race objects; then opening: GET head, LIST of the log, and a
    // GET of slot 1 (a listing may lag; the GET cannot).
    assertThat(counted(() -> await(client().keys(""))))
        .isEqualTo(counts(1 + 2, 256 + 1 + 1, 1, 16));
    // Another client over the same store object trusts the answer it remembers.
    assertThat(counted(() -> await(client().keys("")))).isEqualTo(counts(2, 0, 1, 0));
    // A client over another store object reads the record: one GET.
    CountingObjectStore other = CountingObjectStore.wrap(memory);
    await(client(other, Mps3Config.builder()).keys(""));
    assertThat(other.counts()).isEqualTo(counts(1 + 2, 0, 1, 0));
  }

  @Test
  void put_ofASmallValue_inTheSteadyState_isOneRequest() {
    StrictAsyncClient client = client();
    await(client.put("warm", 0));
    for (int i = 1; i <= 10; i++) {
      int value = i;
      assertThat(counted(() -> await(client.put("k", value)))).isEqualTo(counts(0, 1, 0, 0));
    }
    assertThat(counted(() -> await(client.putAll(Map.of("a", 1, "b", 2)))))
        .isEqualTo(counts(0, 1, 0, 0));
    assertThat(counted(() -> await(client.compareAndSet("a", 12, 10))))
        .isEqualTo(counts(0, 1, 0, 0));
    // A refused compare-and-set reads the next slot first: a refusal is never on a stale view.
    assertThat(counted(() -> assertThat(await(client.compareAndSet("a", 12, 11))).isFalse()))
        .isEqualTo(counts(1, 0, 0, 0));
  }

  @Test
  void aClientThatHasNotLookedForHalfTheGrace_orWhoseClockSteppedBack_readsTheHeadOnce() {
    StrictAsyncClient client = client();
    await(client.put("warm", 0));
    clock.advance(Duration.ofMinutes(3)); // over half the 5-minute grace: cleanup may have run
    assertThat(counted(() -> await(client.put("k", 1)))).isEqualTo(counts(1, 1, 0, 0));
    assertThat(counted(() -> await(client.put("k", 2)))).isEqualTo(counts(0, 1, 0, 0));
    clock.advance(Duration.ofMinutes(-10)); // a time daemon steps the clock back: age unknown
    assertThat(counted(() -> await(client.put("k", 3)))).isEqualTo(counts(1, 1, 0, 0));
    assertThat(counted(() -> await(client.put("k", 4)))).isEqualTo(counts(0, 1, 0, 0));
  }

  @Test
  void put_ofALargeValue_writesItsContentFirst_twoRequests() {
    StrictAsyncClient client = client(store, Mps3Config.builder().inlineLimit(64));
    await(client.put("warm", 0));
    String large = "x".repeat(100);
    assertThat(counted(() -> await(client.put("k", large)))).isEqualTo(counts(0, 2, 0, 0));
  }

  @Test
  void put_afterAnotherClientWrote_losesTheSlot_readsTheWinner_andRetries() {
    StrictAsyncClient alice = client();
    StrictAsyncClient bob = client();
    await(alice.put("warm", 0));
    await(bob.put("warm", 1)); // bob learns slot 1 by losing it, then writes slot 2
    await(alice.put("a", 1)); // same for alice: her tip was 1
    // bob's tip is 2; slot 3 is alice's: create refused, GET slot 3, GET slot 4 (empty: caught
    // up; under contention this saves a lost create per slot), create slot 4
    assertThat(counted(() -> await(bob.put("b", 1)))).isEqualTo(counts(2, 2, 0, 0));
  }

  @Test
  void get_whenNothingChanged_isOneGetOfTheNextSlot() {
    StrictAsyncClient writer = client();
    await(writer.put("k", 7));
    StrictAsyncClient reader = client();
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(7));
    for (int i = 0; i < 5; i++) {
      assertThat(counted(() -> assertThat(await(reader.get("k"))).contains(IntNode.valueOf(7))))
          .isEqualTo(counts(1, 0, 0, 0));
    }
  }

  @Test
  void idleSubscriptions_costOneGetPerPoll_howeverManyKeys() {
    StrictAsyncClient writer = client();
    await(writer.putAll(Map.of("a", 1, "b", 2, "c", 3)));
    StrictAsyncClient reader = client();
    List<Subscription> subscriptions = new ArrayList<>();
    Recorder seen = new Recorder();
    for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")) {
      subscriptions.add(reader.subscribe(key, seen));
    }
    subscriptions.add(reader.subscribePrefix("", ReadOptions.defaults(), seen));
    seen.awaitCount(13, Duration.ofSeconds(10));
    for (int poll = 0; poll < 5; poll++) {
      assertThat(counted(() -> await(reader.refresh()))).isEqualTo(counts(1, 0, 0, 0));
    }
    subscriptions.forEach(Subscription::close);
  }

  @Test
  void opening_after250Writes_readsTheHeadItsCheckpointAndTheEntriesAfterIt() {
    StrictAsyncClient writer = client();
    for (int i = 0; i < 250; i++) {
      await(writer.put("k" + (i % 20), i));
    }
    // Every 100th entry's writer also writes a checkpoint (its index and its new segments, here
    // one) and the head: 3 requests per 100 puts (design 0016).
    Eventually.eventually(
        Duration.ofSeconds(5),
        () ->
            assertThat(await(store.listAll("counts", "manifest.json/checkpoint/", null)))
                .hasSize(2));
    StrictAsyncClient reader = client();
    // head; checkpoint 200's index and one LIST page; its one segment and entries 201..250 in
    // parallel; then GET of slot 251: 3 round trips, fewer than checkpointInterval + 4 requests
    assertThat(counted(() -> assertThat(await(reader.get("k9"))).contains(IntNode.valueOf(249))))
        .isEqualTo(counts(1 + 1 + 1 + 50 + 1, 0, 1, 0));
  }
}
