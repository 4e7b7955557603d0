package io.mps3.testkit.client;

import static io.mps3.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.StrictClient;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import io.mps3.spi.ClientMetrics;
import io.mps3.spi.ClientMetrics.CommitEvent;
import io.mps3.spi.ClientMetrics.Operation;
import io.mps3.spi.ClientMetrics.Outcome;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics SPI without any metrics library: a recorder that writes down what it is told, read
 * after known operations on an in-memory store (and a fault-injecting wrapper to take it away).
 */
class ClientMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Writes down every report, as text, and keeps the client's levels; and checks that no report
   * comes from a thread that holds a monitor (the library's locks are monitors; the threads that
   * report hold no other), which would be a report under a library lock.
   */
  static final class Recording implements ClientMetrics, ClientMetrics.Recorder {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<Long> lags = Collections.synchronizedList(new ArrayList<>());
    final List<String> underLock = Collections.synchronizedList(new ArrayList<>());
    volatile ClientMetrics.@Nullable Client client;

    @Override
    public Recorder clientOpened(Client opened) {
      client = opened;
      events.add("opened " + opened.protocol());
      return this;
    }

    @Override
    public void operation(String manifest, Operation operation, Outcome outcome, long nanos) {
      assertThat(nanos).isNotNegative();
      report(manifest + " " + operation.tag() + " " + outcome.tag());
    }

    @Override
    public void commit(String manifest, CommitEvent event) {
      report(manifest + " commit " + event.tag());
    }

    @Override
    public void pollLag(String manifest, long millis) {
      lags.add(millis);
      report(manifest + " lag");
    }

    @Override
    public void clientClosed() {
      report("closed");
    }

    private void report(String event) {
      MonitorInfo[] held =
          ManagementFactory.getThreadMXBean()
              .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0]
              .getLockedMonitors();
      if (held.length > 0) {
        underLock.add(event + " under " + Arrays.toString(held));
      }
      events.add(event);
    }

    long count(String event) {
      synchronized (events) {
        return events.stream().filter(event::equals).count();
      }
    }

    ClientMetrics.Client levels() {
      ClientMetrics.Client c = client;
      assertThat(c).isNotNull();
      return c;
    }
  }

  private final ObjectStore memory = ObjectStores.inMemory();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ExecutorService callbacks = Executors.newSingleThreadExecutor();

  private final List<Recording> recordings = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    callbacks.shutdownNow();
    for (Recording r : recordings) {
      assertThat(r.underLock).as("reports made under a lock").isEmpty();
    }
  }

  private Recording recording() {
    Recording r = new Recording();
    recordings.add(r);
    return r;
  }

  private Mps3Config.Builder config(ObjectStore store, ClientMetrics metrics) {
    return Mps3Config.builder()
        .store(store)
        .bucket("metrics")
        .metrics(metrics)
        .pollInterval(Duration.ofMillis(50))
        .callbackExecutor(callbacks);
  }

  private Mps3Client causal(ObjectStore store, ClientMetrics metrics) {
    Mps3Client client = Mps3Client.create(config(store, metrics).build());
    open.add(client);
    return client;
  }

  private Mps3Client causal(ObjectStore store, ClientMetrics metrics, Path journal) {
    Mps3Client client = Mps3Client.create(config(store, metrics).journal(journal).build());
    open.add(client);
    return client;
  }

  private StrictClient strict(ClientMetrics metrics) {
    StrictClient client = StrictClient.create(config(memory, metrics).strictProtocol().build());
    open.add(client);
    return client;
  }

  @Test
  void causalPuts_areTimedAndCommittedOnceEach_andTheClientSaysItClosed() {
    Recording rec = recording();
    Mps3Client client = causal(memory, rec);
    for (int i = 0; i < 5; i++) {
      client.put("k" + i, i);
    }
    client.get("k0");
    client.putAll(java.util.Map.of("a", 1, "b", 2), WriteOptions.manifests("one.json", "two.json"));
    client.close();

    assertThat(rec.count("opened " + Protocol.CAUSAL)).isEqualTo(1);
    assertThat(rec.count("manifest.json put success")).isEqualTo(5);
    assertThat(rec.count("manifest.json get success")).isEqualTo(1);
    assertThat(rec.count("* put_all success")).isEqualTo(1); // several manifests: one call
    assertThat(rec.count("manifest.json commit committed")).isEqualTo(5);
    assertThat(rec.count("one.json commit committed")).isEqualTo(1);
    assertThat(rec.count("closed")).isEqualTo(1);
    assertThat(rec.levels().pendingWrites()).isZero(); // closed: its levels read 0
  }

  @Test
  void causalSubscriber_reportsThePollLagOfAnotherWritersChange() {
    Recording rec = recording();
    Mps3Client writer = causal(memory, ClientMetrics.none());
    Mps3Client watcher = causal(memory, rec);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (Subscription s = watcher.subscribe("k", change -> seen.add(change.key()))) {
      watcher.refresh(); // the view is open: what comes next is a change
      writer.put("k", 1);
      eventually(WAIT, () -> assertThat(rec.lags).isNotEmpty());
    }
    assertThat(rec.lags).allSatisfy(lag -> assertThat(lag).isNotNegative());
  }

  @Test
  void everyErrorKind_hasAnOutcomeOfItsName() {
    for (io.mps3.ErrorKind kind : io.mps3.ErrorKind.values()) {
      assertThat(Outcome.of(kind).name()).isEqualTo(kind.name());
    }
  }

  @Test
  void aFailedCall_isRecordedUnderItsKind() {
    Recording rec = recording();
    Mps3Client client = causal(memory, rec);
    client.close();

    try {
      client.put("k", 1);
    } catch (Mps3Exception expected) {
      // closed
    }

    assertThat(rec.count("manifest.json put closed")).isEqualTo(1);
  }

  @Test
  void aRecorderThatThrows_failsNoCall_andOneThatFailsToOpenLeavesTheClientWorking() {
    AtomicBoolean called = new AtomicBoolean();
    ClientMetrics.Recorder throwing =
        new ClientMetrics.Recorder() {
          @Override
          public void operation(String m, Operation o, Outcome outcome, long nanos) {
            called.set(true);
            throw new IllegalStateException("recorder broke");
          }

          @Override
          public void commit(String manifest, CommitEvent event) {
            throw new IllegalStateException("recorder broke");
          }
        };
    Mps3Client client = causal(memory, c -> throwing);
    client.put("k", 1);
    client.put("k", 2);
    assertThat(client.get("k")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(2));
    assertThat(called).isTrue();

    Mps3Client unopened =
        causal(
            memory,
            c -> {
              throw new IllegalStateException("cannot open");
            });
    unopened.put("k", 3);
    assertThat(unopened.get("k")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(3));
  }

  @Test
  void strictCompareAndSet_onAStaleState_losesItsSlotOnce_andIsRefusedOnce() {
    Recording a = recording();
    Recording b = recording();
    StrictClient writer = strict(a);
    StrictClient stale = strict(b);
    writer.put("k", 1);
    long seen = stale.getVersioned("k").map(Versioned::version).orElseThrow();
    writer.put("k", 2); // stale has not read it: its next entry goes to the slot this one took

    boolean swapped = stale.compareAndSet("k", seen, 3);

    assertThat(swapped).isFalse();
    assertThat(b.count("manifest.json compare_and_set success")).isEqualTo(1); // it answered
    assertThat(b.count("manifest.json commit conflict")).isEqualTo(1);
    assertThat(b.count("manifest.json commit refused")).isEqualTo(1);
    assertThat(b.count("manifest.json commit committed")).isZero();
    assertThat(a.count("manifest.json commit committed")).isEqualTo(2);
    assertThat(a.count("manifest.json commit conflict")).isZero();
    // The stale client read the writer's second entry from the log (the first came with opening
    // the manifest, which delivers no change); the writer reads none of its own.
    assertThat(b.lags).hasSize(1).allSatisfy(lag -> assertThat(lag).isNotNegative());
    assertThat(a.lags).isEmpty();
  }

  @Test
  void strictTransaction_whoseReadIsOverwritten_runsAgainOnce() {
    Recording a = recording();
    Recording b = recording();
    StrictClient other = strict(a);
    StrictClient client = strict(b);
    client.put("n", 1);
    AtomicBoolean first = new AtomicBoolean(true);

    int result =
        client.transaction(
            tx -> {
              int n = tx.get("n").orElseThrow().asInt();
              if (first.getAndSet(false)) {
                other.put("n", 10); // another writer changes what this run read
              }
              tx.put("n", n + 1);
              return n + 1;
            });

    assertThat(result).isEqualTo(11);
    assertThat(b.count("manifest.json transaction success")).isEqualTo(1);
    assertThat(b.count("manifest.json commit conflict")).isEqualTo(1);
    assertThat(b.count("manifest.json commit refused")).isEqualTo(1);
    assertThat(b.count("manifest.json commit transaction_rerun")).isEqualTo(1);
    assertThat(b.count("manifest.json commit committed")).isEqualTo(2); // the put, then the rerun
  }

  @Test
  void pendingWrites_riseWhileTheStoreIsAway_andFallToZeroOnceItIsBack() {
    Recording rec = recording();
    FaultInjectingObjectStore store =
        FaultInjectingObjectStore.wrap(
            memory, new FaultInjectingObjectStore.Plan(0, 0, 0, Duration.ZERO), 1);
    Mps3Client client = causal(store, rec);
    client.put("before", 0);
    store.partition();
    for (int i = 0; i < 3; i++) {
      client.put("k" + i, i, WriteOptions.defaults().acknowledgedLocally());
    }

    assertThat(rec.levels().pendingWrites()).isEqualTo(3);
    eventually(WAIT, () -> assertThat(rec.count("manifest.json commit retried")).isPositive());

    store.heal();
    eventually(
        WAIT,
        () -> {
          client.refresh(); // a poll that succeeds sends what waited at once
          assertThat(rec.levels().pendingWrites()).isZero();
        });
    Mps3Client reader = causal(memory, ClientMetrics.none());
    assertThat(reader.get("k2")).hasValueSatisfying(v -> assertThat(v.asInt()).isEqualTo(2));
  }

  @Test
  void journaledWrites_ofAnEarlierClient_countAsPendingUntilTheStoreTakesThem(@TempDir Path dir) {
    FaultInjectingObjectStore store =
        FaultInjectingObjectStore.wrap(
            memory, new FaultInjectingObjectStore.Plan(0, 0, 0, Duration.ZERO), 3);
    store.partition();
    Mps3Client first = Mps3Client.create(config(store, recording()).journal(dir).build());
    first.put("a", 1, WriteOptions.defaults().acknowledgedLocally());
    first.put("b", 2, WriteOptions.defaults().acknowledgedLocally());
    first.close(); // the writes stay in the journal

    Recording rec = recording();
    Mps3Client next = causal(store, rec, dir);
    assertThat(rec.levels().pendingWrites()).isEqualTo(2);
    store.heal();
    eventually(
        WAIT,
        () -> {
          next.refresh();
          assertThat(rec.levels().pendingWrites()).isZero();
        });
    assertThat(rec.count("manifest.json commit committed")).isPositive();
  }

  @Test
  void aSlowListener_showsABacklog_thatDrainsOnceItGoesOn() throws InterruptedException {
    Recording rec = recording();
    Mps3Client client = causal(memory, rec);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    DocumentListener slow =
        (DocumentChange change) -> {
          entered.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          seen.add(change.key());
        };
    try (Subscription s = client.subscribePrefix("room/", slow)) {
      client.put("room/0", 0);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 3; i++) {
        client.put("room/" + i, i);
      }

      assertThat(rec.levels().subscriptionBacklog()).isEqualTo(3);
      release.countDown();
      eventually(WAIT, () -> assertThat(rec.levels().subscriptionBacklog()).isZero());
      eventually(WAIT, () -> assertThat(seen).hasSize(4));
    }
  }
}
