package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ManualClock;
import io.mps3.testkit.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests per operation of the causal protocol: deterministic (a manual clock, an in-memory store
 * behind a counting decorator), so asserted exactly.
 */
class RequestCountTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final CountingObjectStore store = CountingObjectStore.wrap(ObjectStores.inMemory(clock));
  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(Mps3AsyncClient::close);
  }

  private Mps3AsyncClient client() {
    return client(Mps3Config.builder());
  }

  private Mps3AsyncClient client(Mps3Config.Builder options) {
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            options
                .store(store)
                .bucket("counts")
                .clock(clock)
                .pollInterval(Duration.ofHours(1)) // only explicit refreshes poll
                .build());
    clients.add(client);
    return client;
  }

  private Map<Call, Long> counted(Runnable action) {
    store.reset();
    action.run();
    return store.counts();
  }

  private static Map<Call, Long> counts(long get, long put, long list) {
    Map<Call, Long> expected = new EnumMap<>(Call.class);
    expected.put(Call.GET, get);
    expected.put(Call.PUT, put);
    expected.put(Call.HEAD, 0L);
    expected.put(Call.DELETE, 0L);
    expected.put(Call.LIST, list);
    return expected;
  }

  @Test
  void put_ofOneKey_inTheSteadyState_isThreeRequests() {
    Mps3AsyncClient client = client();
    await(client.put("warm", 0)); // opens the manifest
    for (int i = 1; i <= 10; i++) {
      int value = i;
      clock.advance(Duration.ofMillis(100));
      // content PUT, entry PUT, marker PUT; the view is fresh (checked less than 1 s ago)
      assertThat(counted(() -> await(client.put("k", value)))).isEqualTo(counts(0, 3, 0));
    }
  }

  @Test
  void put_afterThreeSecondsOfQuiet_firstListsTheLog() {
    Mps3AsyncClient client = client();
    await(client.put("warm", 0));
    clock.advance(Duration.ofSeconds(2));
    assertThat(counted(() -> await(client.put("k", 1)))).isEqualTo(counts(0, 3, 0));
    clock.advance(Duration.ofSeconds(4));
    // the view was listed more than 3 s ago: marker GET and LIST first (a 304 is not enough)
    assertThat(counted(() -> await(client.put("k", 2)))).isEqualTo(counts(1, 3, 1));
  }

  @Test
  void get_ofACachedKey_whenNothingChanged_isOneConditionalGet() {
    Mps3AsyncClient writer = client();
    await(writer.put("k", 7));
    Mps3AsyncClient reader = client();
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(7)); // opens, fetches content
    for (int i = 0; i < 5; i++) {
      assertThat(counted(() -> assertThat(await(reader.get("k"))).contains(IntNode.valueOf(7))))
          .isEqualTo(counts(1, 0, 0));
    }
  }

  @Test
  void idleSubscriptions_costOneConditionalGetPerPoll_howeverManyKeys() {
    Mps3AsyncClient writer = client();
    await(writer.putAll(Map.of("a", 1, "b", 2, "c", 3)));
    Mps3AsyncClient reader = client();
    List<Subscription> subscriptions = new ArrayList<>();
    Recorder seen = new Recorder();
    for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")) {
      subscriptions.add(reader.subscribe(key, seen));
    }
    subscriptions.add(reader.subscribePrefix("", ReadOptions.defaults(), seen));
    seen.awaitCount(13, Duration.ofSeconds(10)); // 10 keys (7 absent) + 3 keys of the prefix
    for (int poll = 0; poll < 5; poll++) {
      assertThat(counted(() -> await(reader.refresh()))).isEqualTo(counts(1, 0, 0));
    }
    subscriptions.forEach(Subscription::close);
  }

  @Test
  void opening_aManifestOf400Entries_isOneListPlusTheBaseAndItsWindow() {
    Mps3AsyncClient writer = client();
    for (int i = 0; i < 400; i++) {
      clock.advance(Duration.ofSeconds(1));
      await(writer.put("k" + (i % 20), i));
    }
    assertThat(entries()).as("entries in the bucket").hasSizeGreaterThanOrEqualTo(300);
    Mps3AsyncClient reader = client(Mps3Config.builder().disableAutoclean());
    // marker GET, then the base it names beside one LIST page; the base's window claim covers the
    // 4 entries less than 5 s before it (1 s apart), so they are not read (design 0024); then the
    // content of one key
    assertThat(counted(() -> assertThat(await(reader.get("k19"))).contains(IntNode.valueOf(399))))
        .isEqualTo(counts(1 + 1 + 1, 0, 1));
  }

  @Test
  void opening_aManifestWhoseWindowSpansTwoListPages_followsTheContinuationToken() {
    Mps3AsyncClient writer = client(Mps3Config.builder().disableAutoclean());
    for (int i = 0; i < 1100; i++) {
      clock.advance(Duration.ofMillis(2)); // 1100 entries within 2.2 s: all in the 5 s window
      await(writer.put("k" + (i % 10), i));
    }
    Mps3AsyncClient reader = client(Mps3Config.builder().disableAutoclean());
    // marker GET, the base, two LIST pages (the claim is checked against every entry of the
    // window), no other entry, one content GET
    assertThat(counted(() -> assertThat(await(reader.get("k9"))).contains(IntNode.valueOf(1099))))
        .isEqualTo(counts(1 + 1 + 1, 0, 2));
  }

  /**
   * The JavaScript client writes its base's body forward, unknown fields included: an entry that
   * carries another entry's window claim is read as one with none, and its window is replayed (the
   * claim names another entry, and the window it covered is not this entry's either).
   */
  @Test
  void opening_replaysTheWindow_whenTheNewestEntryCarriesACopiedClaim() throws Exception {
    Mps3AsyncClient writer = client(Mps3Config.builder().disableAutoclean());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMillis(500));
      await(writer.put("k" + i, i));
    }
    String newest = entries().get(0).key();
    ObjectNode copied =
        (ObjectNode)
            JSON.readTree(((GetResult.Found) await(store.get("counts", newest))).object().body());
    assertThat(copied.has("mps3Window")).as("our writer's claim").isTrue();
    copied.putObject("update").putObject("files");
    clock.advance(Duration.ofMillis(500));
    String jsEntry = new CausalLayout("manifest.json").entryKey(clock.millis(), "js0", 0);
    await(store.put("counts", jsEntry, JSON.writeValueAsBytes(copied), PutOptions.unconditional()));
    await(
        store.put(
            "counts",
            "manifest.json",
            ("\"" + jsEntry + "\"").getBytes(StandardCharsets.UTF_8),
            PutOptions.unconditional()));
    Mps3AsyncClient reader = client(Mps3Config.builder().disableAutoclean());
    // marker GET, the entry it names beside the LIST, then the 3 entries of its window, then the
    // content of "k0"
    assertThat(counted(() -> assertThat(await(reader.get("k0"))).contains(IntNode.valueOf(0))))
        .isEqualTo(counts(1 + 1 + 3 + 1, 0, 1));
  }

  /**
   * An older entry of one writer is not made redundant by that writer's newer one: the base (by
   * another writer, which had not seen either) lacks it, so only replaying it gives its key (design
   * 0018). The open still reads every entry of the window, each once, in one parallel round.
   */
  @Test
  void opening_replaysEveryEntryOfTheWindow_evenOlderOnesOfTheSameWriter() {
    Mps3AsyncClient first = client(Mps3Config.builder().disableAutoclean());
    Mps3AsyncClient second = client(Mps3Config.builder().disableAutoclean());
    await(second.get("x")); // lists the log now, so its next put (within 3 s) does not list again
    clock.advance(Duration.ofMillis(500));
    await(first.put("a", 1));
    clock.advance(Duration.ofMillis(500));
    await(first.put("b", 2));
    clock.advance(Duration.ofMillis(500));
    await(second.put("c", 3)); // the newest entry: its state has neither "a" nor "b"
    Mps3AsyncClient reader = client(Mps3Config.builder().disableAutoclean());
    // marker GET, LIST, the three entries, then the content of "a"
    assertThat(counted(() -> assertThat(await(reader.get("a"))).contains(IntNode.valueOf(1))))
        .isEqualTo(counts(1 + 3 + 1, 0, 1));
    assertThat(await(reader.get("b"))).contains(IntNode.valueOf(2));
    assertThat(await(reader.get("c"))).contains(IntNode.valueOf(3));
  }

  @Test
  void anEntry_isFetchedOnce() {
    Mps3AsyncClient writer = client();
    Mps3AsyncClient reader = client();
    await(writer.put("k", 1));
    await(reader.get("k"));
    clock.advance(Duration.ofMillis(500));
    await(writer.put("k", 2));
    // marker changed: marker GET, LIST, the one new entry (the older one is cached), new content
    assertThat(counted(() -> assertThat(await(reader.get("k"))).contains(IntNode.valueOf(2))))
        .isEqualTo(counts(3, 0, 1));
  }

  @Test
  void autoclean_deletesOnlyEntriesPastNeedAndGrace_neverUserKeys() {
    Mps3AsyncClient writer = client(Mps3Config.builder().disableAutoclean());
    // Objects under the entry prefix that are no entries: content of keys named like the
    // manifest, as another client stored them (this one refuses such keys, design 0007).
    List<String> userObjects =
        List.of(
            "manifest.json@" + UUID.randomUUID(),
            "manifest.json@x@" + UUID.randomUUID(),
            "manifest.json@2bnk2kep2_862@" + UUID.randomUUID());
    for (String key : userObjects) {
      await(store.put("counts", key, new byte[] {'1'}, PutOptions.unconditional()));
    }
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofSeconds(10));
      await(writer.put("k", i));
    }
    int before = entries().size();
    Mps3AsyncClient cleaner = client();
    await(cleaner.refresh());
    // 1000 s of entries, 10 s apart: those older than newest - 5 s - 300 s go (about 69)
    long deleted = store.count(Call.DELETE);
    assertThat(deleted).isBetween(60L, 75L);
    assertThat(entries()).hasSize(before - (int) deleted);
    for (String key : userObjects) {
      assertThat(await(store.head("counts", key))).as(key).isPresent();
    }
    assertThat(await(client().get("k"))).contains(IntNode.valueOf(99));
  }

  private List<ObjectMetadata> entries() {
    return await(store.listAll("counts", "manifest.json@", null));
  }
}
