package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.ForwardingObjectStore;
import io.mps3.testkit.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain get on a strict manifest this client has not opened reads one segment per run, not the
 * whole state (design 0022), answers what the log holds (keys in a delta, deleted in one, written
 * after the checkpoint, sorting before a run's first segment), falls back to the open when what it
 * read is gone, and the open that continues never publishes a state older than a cold answer. In
 * memory, each GET answered on another thread as a remote store's would be.
 */
class StrictColdReadTest {

  private static final String BUCKET = "cold";
  private static final String M = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAD = "x".repeat(1000); // 2,000 keys: a base of 8 segments

  private final ObjectStore memory = ObjectStores.inMemory();
  private final ExecutorService remote = Executors.newCachedThreadPool();
  private final List<StrictAsyncClient> clients = new ArrayList<>();
  private final Map<String, @Nullable String> model = new TreeMap<>();
  private final StrictAsyncClient writer = client(memory);

  @BeforeEach
  void fill() {
    for (int batch = 0; batch < 4; batch++) { // slots 1..4
      Map<String, Object> values = new LinkedHashMap<>();
      for (int i = batch * 500; i < (batch + 1) * 500; i++) {
        values.put(key(i), "v" + i + PAD);
      }
      await(writer.putAll(values));
      values.forEach((k, v) -> model.put(k, (String) v));
    }
    // slots 5..45, all to keys from k1000 on: checkpoint 10 is a base, 20, 30 and 40 deltas on it
    for (int slot = 5; slot <= 45; slot++) {
      String k = key(1000 + slot * 37 % 1000);
      if (slot == 12) {
        await(writer.delete("k1200"));
        model.put("k1200", null);
      } else {
        await(writer.put(k, "w" + slot));
        model.put(k, "w" + slot);
      }
    }
    Eventually.eventually(
        Duration.ofSeconds(20), () -> assertThat(index().path("seq").asLong()).isEqualTo(40));
    assertThat(index().path("deltas")).hasSize(3);
    assertThat(index().path("base").path("segments").size()).isGreaterThanOrEqualTo(8);
  }

  @AfterEach
  void close() {
    clients.forEach(StrictAsyncClient::close);
    remote.shutdownNow();
  }

  @Test
  void aColdGet_readsTheOneSegmentPerRunThatCanHoldTheKey_andTheOpenReadsEachObjectOnce() {
    JsonNode index = index();
    int named = index.path("base").path("segments").size() + 3; // one segment per delta
    for (String key : List.of("k0001", "k1999", "k1300")) {
      Remote store = new Remote();
      StrictAsyncClient reader = client(store);
      assertThat(await(reader.get(key))).isEqualTo(expected(key));
      // up to its GET of slot 46 (empty: the end of the log), the cold read's requests: the
      // bucket's strict-check record, the head, index 40 and one LIST, the segments, entries 41..45
      List<String> cold = store.upTo(M + "/log/" + slot(46));
      int holding = holding(index, BUCKET + "/" + key);
      assertThat(cold).filteredOn(r -> r.contains("/segment/")).hasSize(holding);
      assertThat(holding).isLessThanOrEqualTo(4).isLessThan(named);
      assertThat(cold).hasSize(1 + 1 + 1 + 1 + holding + 5);
      assertThat(cold).filteredOn(r -> r.startsWith("LIST")).hasSize(1);
      // the whole open continued from what the cold read read: every object read once
      assertThat(await(reader.keys("k1"))).hasSize(999);
      List<String> all = store.requests();
      assertThat(all)
          .filteredOn(r -> r.contains("/segment/"))
          .hasSize(named)
          .doesNotHaveDuplicates();
      assertThat(all).filteredOn(r -> r.contains("/checkpoint/")).hasSize(1);
      assertThat(all).filteredOn(r -> r.startsWith("LIST")).hasSize(1);
    }
  }

  @Test
  void aBurstOfFirstGets_looksUpAtMostTheLeaderAndFourOthers_theRestWaitForTheOpen() {
    Remote store = new Remote(20); // answers within 20 ms: the gets overlap
    StrictAsyncClient reader = client(store);
    List<CompletableFuture<Optional<JsonNode>>> gets = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      keys.add(key(i * 150));
      gets.add(reader.get(keys.get(i)));
    }
    for (int i = 0; i < gets.size(); i++) {
      assertThat(await(gets.get(i))).as(keys.get(i)).isEqualTo(expected(keys.get(i)));
    }
    // Every lookup reads the head once, and the open that follows the leader's none again: the
    // leader's and at most 4 side lookups (StrictColdRead.MAX_SIDE_LOOKUPS), not one per get.
    assertThat(store.requests()).filteredOn(r -> r.endsWith("/head")).hasSizeBetween(2, 5);
  }

  @Test
  void coldGets_answerWhatTheLogHolds_whereverTheKeyIs() {
    // in a delta; deleted in one; written after the checkpoint; base only, sorting before every
    // delta run's first segment; before the base's first segment (absent); after every key
    List<String> keys = new ArrayList<>(List.of("k1200", "k0001", "a", "k0000", "zzz"));
    keys.add(key(1000 + 43 * 37 % 1000));
    keys.add(key(1000 + 15 * 37 % 1000));
    keys.add(key(1000 + 41 * 37 % 1000));
    for (String key : keys) {
      StrictAsyncClient reader = client(new Remote());
      assertThat(await(reader.get(key))).as(key).isEqualTo(expected(key));
      String value = model.get(key);
      assertThat(await(client(new Remote()).getVersioned(key)).map(v -> v.value()))
          .as(key)
          .isEqualTo(value == null ? Optional.empty() : Optional.of(TextNode.valueOf(value)));
    }
  }

  @Test
  void aColdReadWhoseSegmentCleanupDeleted_fallsBackToTheOpen() {
    // the first segment GET finds nothing, as after a cleanup that passed a slow reader
    Remote store = new Remote(r -> r.contains("/segment/"), () -> {}, true);
    StrictAsyncClient reader = client(store);
    assertThat(await(reader.get("k1999"))).isEqualTo(expected("k1999"));
    List<String> cold = store.upTo(M + "/log/" + slot(46));
    int named = index().path("base").path("segments").size() + 3;
    // the lookup gave up on the missing segment; the open read the head again and every segment
    assertThat(cold).filteredOn(r -> r.contains("/head")).hasSize(2);
    assertThat(cold).filteredOn(r -> r.contains("/segment/")).hasSizeGreaterThan(named);
  }

  @Test
  void theOpenThatFollowsAColdAnswer_neverPublishesAnOlderState() {
    String key = key(1000 + 43 * 37 % 1000);
    Recorder seen = new Recorder();
    List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    List<Optional<JsonNode>> second = new CopyOnWriteArrayList<>();
    // Once the first cold answer (slot 45) is given and the open continues, another writer
    // writes slot 46, and a second get of the same client answers it cold, then subscribes
    Remote store =
        new Remote(
                r -> r.contains("/segment/"),
                () -> {
                  await(writer.put(key, "newer"));
                  StrictAsyncClient self = clients.get(clients.size() - 1);
                  second.add(await(self.get(key)));
                  subscriptions.add(self.subscribe(key, seen));
                },
                false)
            .armAfter(M + "/log/" + slot(46));
    StrictAsyncClient reader = client(store);
    assertThat(await(reader.get(key))).isEqualTo(expected(key));
    assertThat(await(reader.keys(""))).isNotEmpty(); // the open is done
    assertThat(second).containsExactly(Optional.of(TextNode.valueOf("newer")));
    // the subscription's first value is the newer one: the open caught up before publishing
    seen.await(c -> true, Duration.ofSeconds(10));
    assertThat(seen.values().get(0)).isEqualTo(TextNode.valueOf("newer"));
    subscriptions.forEach(Subscription::close);
  }

  @Test
  void onAnOldWholeStateCheckpoint_theColdGetIsTheOpen_readingTheCheckpointOnce() {
    StrictAsyncClient old = client(memory, "old.json");
    await(old.put("a", "1")); // slots 1..3
    await(old.put("b", "2"));
    await(old.delete("a"));
    // what a client before design 0016 wrote: the whole state, then the head
    put(
        "old.json/checkpoint/" + slot(3),
        "{\"seq\":3,\"files\":{\"cold/b\":{\"value\":\"2\",\"seq\":2}}}");
    put("old.json/head", "{\"checkpoint\":3}");
    Remote store = new Remote();
    StrictAsyncClient reader = client(store, "old.json");
    assertThat(await(reader.get("b"))).contains(TextNode.valueOf("2"));
    assertThat(store.upTo("old.json/log/" + slot(4))).hasSize(4); // record, head, checkpoint, LIST
    assertThat(await(reader.keys(""))).containsExactly("b");
    assertThat(store.requests()).filteredOn(r -> r.contains("/checkpoint/")).hasSize(1);
  }

  @Test
  void coldGets_whileAWriterCheckpointsAndCleansUp_neverReadBeforeAnAcknowledgedWrite()
      throws Exception {
    // a counter written on and on, checkpointed every 2 entries, merged every 16, cleaned up a
    // second after each checkpoint; every GET, PUT and LIST of every client takes up to 100 ms
    StrictAsyncClient counter =
        StrictAsyncClient.create(
            Mps3Config.builder()
                .store(new Remote(100))
                .bucket(BUCKET)
                .manifest("race.json")
                .strictProtocol()
                .checkpointInterval(2)
                .autocleanGrace(Duration.ofSeconds(1))
                .build());
    clients.add(counter);
    AtomicLong acknowledged = new AtomicLong();
    await(counter.put("c", 0));
    CompletableFuture<Void> writes =
        CompletableFuture.runAsync(
            () -> {
              for (long i = 1; i <= 60; i++) {
                await(counter.put("c", i));
                acknowledged.set(i);
              }
            },
            remote);
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicLong reads = new AtomicLong();
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      readers.add(
          CompletableFuture.runAsync(
              () -> {
                do {
                  long before = acknowledged.get();
                  StrictAsyncClient reader = client(new Remote(100), "race.json");
                  long first = await(reader.get("c")).orElseThrow().asLong();
                  long again = await(reader.get("c")).orElseThrow().asLong();
                  if (first < before || again < first) {
                    violations.add(before + " acknowledged, then read " + first + ", " + again);
                  }
                  reader.close();
                  reads.incrementAndGet();
                } while (!writes.isDone());
              },
              remote));
    }
    await(writes);
    for (CompletableFuture<Void> reader : readers) {
      await(reader);
    }
    assertThat(violations).isEmpty();
    assertThat(reads.get())
        .isGreaterThanOrEqualTo(4); // each reader at least once, while writes went on
  }

  // -- helpers -----------------------------------------------------------------------------------

  private StrictAsyncClient client(ObjectStore store) {
    return client(store, M);
  }

  private StrictAsyncClient client(ObjectStore store, String manifest) {
    StrictAsyncClient client =
        StrictAsyncClient.create(
            Mps3Config.builder()
                .store(store)
                .manifest(manifest)
                .bucket(BUCKET)
                .strictProtocol()
                .checkpointInterval(10)
                .disableAutoclean()
                .pollInterval(Duration.ofHours(1))
                .build());
    clients.add(client);
    return client;
  }

  private Optional<JsonNode> expected(String key) {
    String value = model.get(key);
    return value == null ? Optional.empty() : Optional.of(TextNode.valueOf(value));
  }

  private static String key(int i) {
    return String.format("k%04d", i);
  }

  private static String slot(long n) {
    return String.format("%020d", n);
  }

  private void put(String key, String body) {
    await(
        memory.put(BUCKET, key, body.getBytes(StandardCharsets.UTF_8), PutOptions.unconditional()));
  }

  /** How many runs of the index have a segment whose range can hold {@code url}. */
  private static int holding(JsonNode index, String url) {
    List<JsonNode> runs = new ArrayList<>();
    runs.add(index.path("base"));
    index.path("deltas").forEach(runs::add);
    int out = 0;
    for (JsonNode run : runs) {
      if (run.path("segments").get(0).path("first").asText().compareTo(url) <= 0) {
        out++;
      }
    }
    return out;
  }

  private JsonNode index() {
    List<ObjectMetadata> listed = await(memory.listAll(BUCKET, M + "/checkpoint/", null));
    assertThat(listed).isNotEmpty();
    GetResult result = await(memory.get(BUCKET, listed.get(listed.size() - 1).key()));
    try {
      return JSON.readTree(((GetResult.Found) result).object().body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The in-memory store answering on another thread, recording each GET and LIST in order; once
   * armed, the first GET whose key {@code when} matches runs {@code before} first, then finds
   * nothing when {@code gone}.
   */
  private final class Remote extends ForwardingObjectStore {
    private final List<String> requests = new ArrayList<>();
    private final Predicate<String> when;
    private final Runnable before;
    private final boolean gone;
    private @Nullable String armAfter;
    private boolean armed = true;

    private final int delayMillis;

    Remote() {
      this(key -> false, () -> {}, false);
    }

    /** No fault; each GET and LIST answered after up to {@code delayMillis}. */
    Remote(int delayMillis) {
      this(key -> false, () -> {}, false, delayMillis);
    }

    Remote(Predicate<String> when, Runnable before, boolean gone) {
      this(when, before, gone, 0);
    }

    private Remote(Predicate<String> when, Runnable before, boolean gone, int delayMillis) {
      super(memory);
      this.when = when;
      this.before = before;
      this.gone = gone;
      this.delayMillis = delayMillis;
    }

    /** Waits up to the delay, as a remote store answers later or sooner. */
    private void travel() {
      if (delayMillis > 0) {
        try {
          Thread.sleep(ThreadLocalRandom.current().nextInt(delayMillis));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Arms the fault only once {@code key} was read. */
    synchronized Remote armAfter(String key) {
      armAfter = key;
      armed = false;
      return this;
    }

    synchronized List<String> requests() {
      return List.copyOf(requests);
    }

    /** The requests before the first GET of {@code key}. */
    synchronized List<String> upTo(String key) {
      int at = requests.indexOf("GET " + key);
      assertThat(at).as("a GET of %s", key).isNotNegative();
      return List.copyOf(requests.subList(0, at));
    }

    @Override
    public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
      boolean fire;
      synchronized (this) {
        requests.add("GET " + key);
        fire = armed && when.test(key);
        if (fire) {
          armed = false; // once
        }
        if (key.equals(armAfter)) {
          armed = true;
          armAfter = null; // once
        }
      }
      return CompletableFuture.supplyAsync(
          () -> {
            travel();
            if (fire) {
              before.run();
              if (gone) {
                return new GetResult.NotFound(null);
              }
            }
            return delegate.get(bucket, key, options).join();
          },
          remote);
    }

    @Override
    public CompletableFuture<PutOutcome> put(
        String bucket, String key, byte[] body, PutOptions options) {
      return CompletableFuture.supplyAsync(
          () -> {
            travel();
            return delegate.put(bucket, key, body, options).join();
          },
          remote);
    }

    @Override
    public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
      synchronized (this) {
        requests.add("LIST " + request.prefix());
      }
      return CompletableFuture.supplyAsync(
          () -> {
            travel();
            return delegate.list(bucket, request).join();
          },
          remote);
    }
  }
}
