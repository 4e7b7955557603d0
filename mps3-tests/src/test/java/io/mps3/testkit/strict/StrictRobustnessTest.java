package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The strict protocol with garbage in the bucket, cleanup, and a client that sleeps through a
 * cleanup: nothing valid is lost and the log never forks.
 */
class StrictRobustnessTest {

  private static final String BUCKET = "robust";
  private static final String LOG = "manifest.json/log/";

  private final ObjectStore store = ObjectStores.inMemory();
  private final OpenedStrictClients opened = new OpenedStrictClients(BUCKET);

  @AfterEach
  void close() throws Exception {
    opened.close();
  }

  private StrictAsyncClient client(UnaryOperator<Mps3Config.Builder> options) {
    return opened.client(store, options);
  }

  private StrictAsyncClient client() {
    return client(b -> b);
  }

  private void putRaw(String key, String body) {
    await(
        store.put(BUCKET, key, body.getBytes(StandardCharsets.UTF_8), PutOptions.unconditional()));
  }

  private static String slot(long n) {
    return LOG + String.format("%020d", n);
  }

  @Test
  void aSlotHoldingGarbage_countsAsEmpty_andTheLogGoesOn() {
    StrictAsyncClient alice = client();
    await(alice.put("a", 1));
    putRaw(slot(2), "this is not an entry");
    putRaw(slot(3), "{\"seq\": 99, \"files\": {}}"); // wrong seq
    putRaw(slot(4), "{\"seq\": 4, \"files\": {\"robust/b\": {\"nonsense\": true}}}");
    await(alice.put("c", 3));
    StrictAsyncClient bob = client();
    assertThat(await(bob.keys(""))).containsExactly("a", "c");
    assertThat(await(bob.get("c"))).contains(IntNode.valueOf(3));
    assertThat(await(store.get(BUCKET, slot(5)))).isInstanceOf(GetResult.Found.class);
  }

  @Test
  void anUnreadableHeadOrCheckpoint_isSkipped() {
    StrictAsyncClient alice = client(b -> b.checkpointInterval(5));
    for (int i = 1; i <= 12; i++) {
      await(alice.put("k", i));
    }
    Eventually.eventually(
        Duration.ofSeconds(5),
        () ->
            assertThat(
                    await(store.get(BUCKET, "manifest.json/checkpoint/" + "0".repeat(18) + "10")))
                .isInstanceOf(GetResult.Found.class));
    putRaw("manifest.json/head", "garbage");
    assertThat(await(client().get("k"))).contains(IntNode.valueOf(12));
    putRaw("manifest.json/head", "{\"checkpoint\": 10}");
    putRaw("manifest.json/checkpoint/" + "0".repeat(18) + "10", "{\"seq\": 10, \"files\": 7}");
    assertThat(await(client().get("k"))).contains(IntNode.valueOf(12)); // from checkpoint 5
  }

  @Test
  void autoclean_deletesOldEntriesAndSupersededContent_afterTheGrace_andOpeningStillWorks() {
    StrictAsyncClient alice =
        client(b -> b.checkpointInterval(5).autocleanGrace(Duration.ofSeconds(1)).inlineLimit(10));
    for (int i = 1; i <= 23; i++) {
      await(alice.put("big", "a long value number " + i)); // a content object each time
    }
    Eventually.eventually(
        Duration.ofSeconds(10),
        () -> {
          List<ObjectMetadata> log = await(store.listAll(BUCKET, LOG, null));
          // checkpoints 5..20; entries up to 20 - 5 = 15 deleted once checkpoint 20 is a second old
          assertThat(log.get(0).key()).isEqualTo(slot(16));
          List<ObjectMetadata> contents = await(store.listAll(BUCKET, "big@", null));
          assertThat(contents).hasSize(1); // only the live version stays
        });
    assertThat(await(client().get("big"))).contains(TextNode.valueOf("a long value number 23"));
  }

  @Test
  void refusedWritesOfLargeValues_deleteTheirContentObjects() {
    StrictAsyncClient alice = client(b -> b.inlineLimit(10));
    await(alice.put("big", "a long value number 1"));
    long first = await(alice.getVersioned("big")).orElseThrow().version();
    await(alice.put("big", "a long value number 2"));

    assertThat(await(alice.compareAndSet("big", first, "a long value number 3"))).isFalse();
    assertThat(await(alice.create("big", "a long value number 4"))).isFalse();

    Eventually.eventually(
        Duration.ofSeconds(10),
        () -> // the two committed versions stay (the first until the grace ends); no refused one
        assertThat(await(store.listAll(BUCKET, "big@", null))).hasSize(2));
    assertThat(await(client().get("big"))).contains(TextNode.valueOf("a long value number 2"));
  }

  @Test
  void aClientThatSleptThroughACleanup_reopens_insteadOfForkingTheLog() throws Exception {
    UnaryOperator<Mps3Config.Builder> fastCleanup =
        b -> b.checkpointInterval(5).autocleanGrace(Duration.ofSeconds(1));
    StrictAsyncClient sleeper = client(fastCleanup);
    await(sleeper.put("k", 0)); // sleeper is at slot 1
    StrictAsyncClient busy = client(fastCleanup);
    for (int i = 1; i <= 30; i++) {
      await(busy.put("k", i));
    }
    Eventually.eventually(
        Duration.ofSeconds(10),
        () -> assertThat(await(store.get(BUCKET, slot(2)))).isInstanceOf(GetResult.NotFound.class));
    // slot 2 is gone: a create there would succeed and fork the log, losing the write for everyone
    await(sleeper.put("k", 100));
    assertThat(await(store.get(BUCKET, slot(2)))).isInstanceOf(GetResult.NotFound.class);
    assertThat(await(client().get("k"))).contains(IntNode.valueOf(100));
    assertThat(await(busy.get("k"))).contains(IntNode.valueOf(100));
  }

  @Test
  void aStrictClient_ofACausalConfiguration_isRefused_sayingWhatItNeeds() {
    Mps3Config causal = Mps3Config.builder().store(store).bucket(BUCKET).build();
    assertThatThrownBy(() -> StrictAsyncClient.create(causal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strict protocol")
        .hasMessageContaining("strictProtocol()");
    // The strict calls are not on a causal client at all: Mps3AsyncClient has none of them.
    try (Mps3AsyncClient client = Mps3AsyncClient.create(causal)) {
      assertThat(client).isNotInstanceOf(StrictAsyncClient.class);
    }
  }
}
