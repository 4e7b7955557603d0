package io.mps3.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.DocumentListener;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.ForwardingObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A store may complete its futures on the caller's thread (the {@code ObjectStore} contract), and a
 * user's store may block in its calls. So the client must never call the store while it holds one
 * of its locks: a slow call would stall every other operation of the manifest, and a store that
 * waits for another of the client's threads could deadlock. The in-memory store completes every
 * call at once, so each call runs inside whatever the client held when it made it; this store
 * records the monitors the calling thread holds at each call.
 */
class StoreCallsOutsideLocksTest {

  private static final String BUCKET = "locks";

  @Test
  void causalClient_callsTheStoreHoldingNoLock() throws Exception {
    LockCheckingStore store = new LockCheckingStore();
    try (Mps3AsyncClient a = Mps3AsyncClient.create(config(store).build());
        Mps3AsyncClient b = Mps3AsyncClient.create(config(store).build())) {
      exercise(a, b);
    }
    assertThat(store.calls()).isPositive();
    assertThat(store.heldLocks()).as("monitors held while calling the store").isEmpty();
  }

  @Test
  void strictClient_callsTheStoreHoldingNoLock() throws Exception {
    LockCheckingStore store = new LockCheckingStore();
    try (StrictAsyncClient a =
            StrictAsyncClient.create(config(store).strictProtocol().checkpointInterval(4).build());
        StrictAsyncClient b =
            StrictAsyncClient.create(
                config(store).strictProtocol().checkpointInterval(4).build())) {
      exercise(a, b);
      assertThat(a.create("created", 1).get(10, TimeUnit.SECONDS)).isTrue();
      int counter =
          a.transaction(
                  tx -> {
                    int next = tx.get("counter", Integer.class).orElse(0) + 1;
                    tx.put("counter", next);
                    return next;
                  })
              .get(10, TimeUnit.SECONDS);
      assertThat(counter).isEqualTo(1);
      try (StrictAsyncClient cold =
          StrictAsyncClient.create(config(store).strictProtocol().build())) {
        assertThat(cold.get("created").get(10, TimeUnit.SECONDS)).isPresent();
      }
    }
    assertThat(store.calls()).isPositive();
    assertThat(store.heldLocks()).as("monitors held while calling the store").isEmpty();
  }

  @Test
  void contentReadsQueuedWhenTheClientCloses_stillEnd() throws Exception {
    LockCheckingStore store = new LockCheckingStore();
    try (Mps3AsyncClient writer = Mps3AsyncClient.create(config(store).build())) {
      for (int i = 0; i < 6; i++) {
        writer.put("k" + i, i).get(10, TimeUnit.SECONDS);
      }
    }
    // Every content read now blocks (a store that blocks in its calls) until released: the
    // reader's read threads fill up and the last reads wait in its queue when it closes.
    store.holdContentReads();
    Mps3AsyncClient reader = Mps3AsyncClient.create(config(store).build());
    List<CompletableFuture<Optional<com.fasterxml.jackson.databind.JsonNode>>> gets =
        new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      gets.add(reader.get("k" + i));
    }
    Eventually.eventually(
        Duration.ofSeconds(10), () -> assertThat(store.heldReads()).isGreaterThanOrEqualTo(4));
    reader.close();
    store.releaseContentReads();
    for (CompletableFuture<?> get : gets) {
      // A value or a failure (the client is closed): never a read that waits forever.
      assertThat(get.handle((value, failure) -> true)).succeedsWithin(Duration.ofSeconds(10));
    }
  }

  private static Mps3Config.Builder config(LockCheckingStore store) {
    return Mps3Config.builder().store(store).bucket(BUCKET).pollInterval(Duration.ofMillis(50));
  }

  /** Writes, reads cold and warm, lists and subscribes, through two clients of one manifest. */
  private static void exercise(Mps3AsyncClient a, Mps3AsyncClient b) throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    DocumentListener listener = change -> seen.add(String.valueOf(change.value().orElse(null)));
    try (Subscription subscription = b.subscribe("k", listener)) {
      for (int i = 0; i < 10; i++) {
        a.put("k", i).get(10, TimeUnit.SECONDS);
      }
      a.putAll(Map.of("x", 1, "y", 2)).get(10, TimeUnit.SECONDS);
      a.delete("y").get(10, TimeUnit.SECONDS);
      assertThat(b.get("k").get(10, TimeUnit.SECONDS)).hasValueSatisfying(v -> v.asInt());
      assertThat(b.keys("").get(10, TimeUnit.SECONDS)).contains("k", "x");
      Eventually.eventually(
          Duration.ofSeconds(10), () -> assertThat(seen).as("b sees the last put").contains("9"));
      assertThat(subscription).isNotNull();
    }
  }

  /** The in-memory store, recording who held a monitor when it was called. */
  private static final class LockCheckingStore extends ForwardingObjectStore {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.CountDownLatch release =
        new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger heldReads =
        new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean holding;

    void holdContentReads() {
      holding = true;
    }

    void releaseContentReads() {
      release.countDown();
    }

    int heldReads() {
      return heldReads.get();
    }

    private final java.util.concurrent.atomic.AtomicLong calls =
        new java.util.concurrent.atomic.AtomicLong();

    LockCheckingStore() {
      super(ObjectStores.inMemory());
    }

    long calls() {
      return calls.get();
    }

    List<String> heldLocks() {
      return List.copyOf(held);
    }

    private void check(String call) {
      calls.incrementAndGet();
      ThreadInfo info =
          THREADS.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0];
      for (MonitorInfo monitor : info.getLockedMonitors()) {
        held.add(
            call
                + " under a "
                + monitor.getClassName()
                + " locked at "
                + monitor.getLockedStackFrame());
      }
    }

    @Override
    public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
      check("GET " + key);
      if (holding && key.startsWith("k")) { // a content object k<n>@<uuid>
        heldReads.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return CompletableFuture.failedFuture(e);
        }
      }
      return super.get(bucket, key, options);
    }

    @Override
    public CompletableFuture<PutOutcome> put(
        String bucket, String key, byte[] body, PutOptions options) {
      check("PUT " + key);
      return super.put(bucket, key, body, options);
    }

    @Override
    public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
      check("HEAD " + key);
      return super.head(bucket, key);
    }

    @Override
    public CompletableFuture<Void> delete(String bucket, String key) {
      check("DELETE " + key);
      return super.delete(bucket, key);
    }

    @Override
    public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
      check("LIST " + request.prefix());
      return super.list(bucket, request);
    }
  }
}
