package io.mps3.micrometer;

import static io.mps3.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mps3.DocumentListener;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters of {@link MicrometerClientMetrics}, read after known operations. */
class MicrometerClientMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ObjectStore memory = ObjectStores.inMemory();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    callbacks.shutdownNow();
  }

  private Mps3Config.Builder config(ObjectStore store) {
    return Mps3Config.builder()
        .store(store)
        .bucket("meters")
        .metrics(MicrometerClientMetrics.of(registry))
        .pollInterval(Duration.ofMillis(50))
        .callbackExecutor(callbacks);
  }

  private <C extends AutoCloseable> C opened(C client) {
    open.add(client);
    return client;
  }

  private Search meter(String name, String protocol) {
    return registry.find(name).tag("protocol", protocol);
  }

  private long timed(String protocol, String operation, String outcome) {
    Timer timer =
        meter("mps3.client.operations", protocol)
            .tag("manifest", "manifest.json")
            .tag("operation", operation)
            .tag("outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private double commits(String protocol, String event) {
    var counter =
        meter("mps3.client.commits", protocol)
            .tag("manifest", "manifest.json")
            .tag("event", event)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double gauge(String name, String protocol) {
    Gauge gauge = meter(name, protocol).gauge();
    assertThat(gauge).as(name).isNotNull();
    return gauge.value();
  }

  @Test
  void nPuts_giveNPutTimingsAndNCommits() {
    Mps3Client client = opened(Mps3Client.create(config(memory).build()));
    for (int i = 0; i < 4; i++) {
      client.put("k" + i, i);
    }
    client.get("k0");

    assertThat(timed("causal", "put", "success")).isEqualTo(4);
    assertThat(timed("causal", "get", "success")).isEqualTo(1);
    assertThat(commits("causal", "committed")).isEqualTo(4);
    assertThat(registry.find("mps3.client.operations").timers())
        .allSatisfy(t -> assertThat(t.getId().getTags()).extracting("key").doesNotContain("key"));
  }

  @Test
  void aStaleStrictCompareAndSet_countsOneConflictAndOneRefusal() {
    StrictClient writer = opened(StrictClient.create(config(memory).strictProtocol().build()));
    SimpleMeterRegistry own = new SimpleMeterRegistry(); // the stale client's meters only
    StrictClient stale =
        opened(
            StrictClient.create(
                config(memory).strictProtocol().metrics(MicrometerClientMetrics.of(own)).build()));
    writer.put("k", 1);
    long seen = stale.getVersioned("k").map(Versioned::version).orElseThrow();
    writer.put("k", 2);

    assertThat(stale.compareAndSet("k", seen, 3)).isFalse();

    assertThat(own.get("mps3.client.commits").tag("event", "conflict").counter().count())
        .isEqualTo(1);
    assertThat(own.get("mps3.client.commits").tag("event", "refused").counter().count())
        .isEqualTo(1);
    assertThat(own.find("mps3.client.commits").tag("event", "committed").counter()).isNull();
    assertThat(own.get("mps3.client.poll.lag").tag("protocol", "strict").timer().count())
        .isEqualTo(1);
    assertThat(
            own.get("mps3.client.operations")
                .tag("operation", "compare_and_set")
                .tag("outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(commits("strict", "committed")).isEqualTo(2); // the writer's, in the shared one
  }

  @Test
  void pendingWrites_riseWhileTheStoreIsAway_andFallBackToZero() {
    FaultInjectingObjectStore store =
        FaultInjectingObjectStore.wrap(
            memory, new FaultInjectingObjectStore.Plan(0, 0, 0, Duration.ZERO), 1);
    Mps3Client client = opened(Mps3Client.create(config(store).build()));
    client.put("before", 0);
    assertThat(gauge("mps3.client.writes.pending", "causal")).isZero();

    store.partition();
    client.put("a", 1, WriteOptions.defaults().acknowledgedLocally());
    client.put("b", 2, WriteOptions.defaults().acknowledgedLocally());
    assertThat(gauge("mps3.client.writes.pending", "causal")).isEqualTo(2);
    eventually(WAIT, () -> assertThat(commits("causal", "retried")).isPositive());

    store.heal();
    eventually(
        WAIT,
        () -> {
          client.refresh(); // a poll that succeeds sends what waited at once
          assertThat(gauge("mps3.client.writes.pending", "causal")).isZero();
        });
  }

  @Test
  void aSlowListener_showsABacklogThatDrains_andAClosedClientLeavesTheGauge()
      throws InterruptedException {
    Mps3Client client = opened(Mps3Client.create(config(memory).build()));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DocumentListener slow =
        change -> {
          entered.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    try (Subscription s = client.subscribePrefix("room/", slow)) {
      client.put("room/0", 0);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      client.put("room/1", 1);
      client.put("room/2", 2);

      assertThat(gauge("mps3.client.subscriptions.backlog", "causal")).isEqualTo(2);
      release.countDown();
      eventually(
          WAIT, () -> assertThat(gauge("mps3.client.subscriptions.backlog", "causal")).isZero());
    }
    Mps3Client away = Mps3Client.create(config(store()).build());
    away.put("x", 1, WriteOptions.defaults().acknowledgedLocally());
    away.close(); // its pending write is no longer this process's to count
    assertThat(gauge("mps3.client.writes.pending", "causal")).isZero();
  }

  private ObjectStore store() {
    FaultInjectingObjectStore cut =
        FaultInjectingObjectStore.wrap(
            memory, new FaultInjectingObjectStore.Plan(0, 0, 0, Duration.ZERO), 2);
    cut.partition();
    return cut;
  }
}
