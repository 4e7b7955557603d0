package io.mps3.testkit;

import static io.mps3.testkit.Eventually.eventually;
import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Absent;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every MPS3 client must have on a store, as a JUnit suite: several clients in one
 * JVM share a bucket through the causal protocol (or the strict one, in {@link
 * StrictClientContract}). Subclass it once per store; each test uses a manifest of its own, so one
 * bucket serves the whole run.
 */
public abstract class ClientContract extends ClientTrustContract {

  // -- reads and writes -------------------------------------------------------------------------

  @Test
  void get_ofAnotherClientsWrite_returnsIt() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    await(alice.put("greeting", Map.of("text", "hello", "n", 1)));
    JsonNode value = await(bob.get("greeting")).orElseThrow();
    assertThat(value.get("text").asText()).isEqualTo("hello");
    assertThat(value.get("n").asInt()).isEqualTo(1);
  }

  @Test
  void get_ofAnUnknownKey_isEmpty_andJsonNullIsAValue() {
    Mps3AsyncClient alice = client();
    assertThat(await(alice.get("never-written"))).isEmpty();
    await(alice.put("nothing", null));
    assertThat(await(client().get("nothing"))).contains(NullNode.getInstance());
    assertThat(await(client().get("nothing", String.class))).isEmpty();
  }

  @Test
  void delete_makesTheKeyAbsentForEveryone() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    await(alice.put("doomed", "x"));
    assertThat(await(bob.get("doomed"))).contains(TextNode.valueOf("x"));
    await(bob.delete("doomed"));
    assertThat(await(alice.get("doomed"))).isEmpty();
    assertThat(await(client().get("doomed"))).isEmpty();
  }

  @Test
  void get_readsItsOwnWriteAtOnce_beforeTheBucketHoldsIt() {
    Mps3AsyncClient alice = client();
    if (protocol() == Protocol.STRICT) {
      CompletableFuture<Void> refused =
          alice.put("mine", 42, WriteOptions.defaults().acknowledgedLocally()); // never throws
      assertThatThrownBy(() -> await(refused))
          .isInstanceOfSatisfying(
              Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
          .hasMessageContaining("causal protocol");
      return; // a strict write is acknowledged once the bucket holds it
    }
    CompletableFuture<Void> stored =
        alice.put("mine", 42, WriteOptions.defaults().acknowledgedLocally());
    assertThat(stored).isCompleted();
    assertThat(await(alice.get("mine"))).contains(IntNode.valueOf(42));
    eventually(SOON, () -> assertThat(await(client().get("mine"))).contains(IntNode.valueOf(42)));
  }

  @Test
  void get_convertsToRecordsAndPojos() {
    Mps3AsyncClient alice = client();
    await(alice.put("point", new Point(3, 4)));
    assertThat(await(client().get("point", Point.class))).contains(new Point(3, 4));
    await(alice.put("list", List.of(1, 2, 3)));
    assertThat(await(client().get("list")).orElseThrow().size()).isEqualTo(3);
  }

  /** A record value. */
  public record Point(int x, int y) {}

  @Test
  void putAll_writesAndDeletesAtomically_andKeysListsTheManifest() {
    Mps3AsyncClient alice = client();
    await(alice.putAll(Map.of("a", 1, "b", 2, "c", 3)));
    Map<String, Object> batch = new HashMap<>();
    batch.put("a", Absent.ABSENT);
    batch.put("b", 20);
    batch.put("d/e", 4);
    await(alice.putAll(batch));
    Mps3AsyncClient bob = client();
    assertThat(await(bob.keys(""))).containsExactly("b", "c", "d/e");
    assertThat(await(bob.keys("d/"))).containsExactly("d/e");
    assertThat(await(bob.get("b"))).contains(IntNode.valueOf(20));
  }

  @Test
  void put_toSeveralManifests_isSeenInEach() {
    Mps3AsyncClient alice = client();
    String other = manifest + "-other";
    await(alice.put("shared", "both", WriteOptions.manifests(manifest, other)));
    Mps3AsyncClient bob = client();
    assertThat(await(bob.get("shared"))).contains(TextNode.valueOf("both"));
    assertThat(await(bob.get("shared", ReadOptions.manifest(other))))
        .contains(TextNode.valueOf("both"));
    assertThat(await(bob.get("shared", ReadOptions.manifest(manifest + "-third")))).isEmpty();
  }

  @Test
  void specialKeys_roundTrip() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    for (String key : ObjectStoreContract.SPECIAL_KEYS) {
      if (key.contains("..") || key.endsWith("/")) {
        continue; // some servers refuse these as object keys: see the store contract
      }
      await(alice.put(key, key));
    }
    for (String key : ObjectStoreContract.SPECIAL_KEYS) {
      if (!key.contains("..") && !key.endsWith("/")) {
        assertThat(await(bob.get(key))).as("key %s", key).contains(TextNode.valueOf(key));
      }
    }
  }

  @Test
  void keysNamedLikeTheManifest_areRefusedByCausal_storedByStrict_andNeverTakenForEntries() {
    // Design 0007 (issue #18): on a causal manifest their content would lie among the log
    // entries, where the JavaScript client deletes it; the strict layout has no such objects.
    Mps3AsyncClient alice = client();
    List<String> keys = List.of(manifest, manifest + "@x", manifest + "@2bnk2kep2_862");
    for (String key : keys) {
      if (protocol() == Protocol.CAUSAL) {
        assertThatThrownBy(() -> await(alice.put(key, "user data")))
            .isInstanceOf(Mps3Exception.class)
            .hasMessageContaining("key \"" + key + "\" is reserved by manifest")
            .extracting(e -> ((Mps3Exception) e).kind())
            .isEqualTo(ErrorKind.INVALID);
      } else {
        await(alice.put(key, "user data " + key));
      }
    }
    await(alice.put(manifest + "x", "beside")); // the name's start alone reserves nothing
    Mps3AsyncClient bob = client();
    assertThat(await(bob.get(manifest + "x"))).contains(TextNode.valueOf("beside"));
    for (String key : keys) {
      assertThat(await(bob.get(key)))
          .isEqualTo(
              protocol() == Protocol.CAUSAL
                  ? Optional.empty()
                  : Optional.of(TextNode.valueOf("user data " + key)));
    }
  }

  @Test
  void coldManifest_readsAsEmpty() {
    Mps3AsyncClient alice = client();
    assertThat(await(alice.keys(""))).isEmpty();
    assertThat(await(alice.get("anything"))).isEmpty();
  }

  @Test
  void parallelPuts_ofSeveralClients_becomeVisibleToEveryClient() {
    List<Mps3AsyncClient> writers = List.of(client(), client(), client());
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < writers.size(); i++) {
      for (int j = 0; j < 5; j++) {
        puts.add(writers.get(i).put("w" + i + "/k" + j, i * 10 + j));
      }
    }
    puts.forEach(Futures::await);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < writers.size(); i++) {
      for (int j = 0; j < 5; j++) {
        expected.add("w" + i + "/k" + j);
      }
    }
    for (Mps3AsyncClient reader : List.of(writers.get(0), writers.get(2), client())) {
      eventually(
          SOON,
          () -> assertThat(await(reader.keys(""))).containsExactlyInAnyOrderElementsOf(expected));
    }
  }

  // -- subscriptions ----------------------------------------------------------------------------

  @Test
  void subscribe_deliversTheCurrentValue_thenOwnWritesAtOnce_eachOnce() {
    Mps3AsyncClient alice = client();
    await(alice.put("k", 1));
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribe("k", seen)) {
      seen.await(c -> c.value().equals(Optional.of(IntNode.valueOf(1))), SOON);
      await(alice.put("k", 2));
      await(alice.put("k", 3));
      seen.await(c -> c.value().equals(Optional.of(IntNode.valueOf(3))), SOON);
      await(alice.refresh());
      assertThat(seen.values())
          .containsExactly(IntNode.valueOf(1), IntNode.valueOf(2), IntNode.valueOf(3));
    }
  }

  @Test
  void subscribe_toAnUnseenKey_deliversAbsent_thenAnotherClientsPut() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribe("later", seen)) {
      seen.await(c -> !c.isPresent(), SOON);
      await(bob.put("later", "now"));
      seen.await(c -> c.value().equals(Optional.of(TextNode.valueOf("now"))), SOON);
    }
  }

  @Test
  void subscribe_seesABurstOfAnotherClientsWrites_inOrder_endingAtTheLast() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribe("counter", seen)) {
      seen.awaitCount(1, SOON);
      for (int i = 1; i <= 20; i++) {
        await(bob.put("counter", i));
      }
      seen.await(c -> c.value().equals(Optional.of(IntNode.valueOf(20))), SOON);
      List<Integer> numbers = new ArrayList<>();
      for (JsonNode v : seen.values()) {
        if (v != null) {
          numbers.add(v.asInt());
        }
      }
      assertThat(numbers).isSorted().doesNotHaveDuplicates().endsWith(20);
    }
  }

  @Test
  void subscribe_whileAWriteIsPending_startsWithTheOptimisticValue() {
    Mps3AsyncClient alice = client();
    await(alice.put("k", "committed"));
    CompletableFuture<Void> pending = alice.put("k", "optimistic");
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribe("k", seen)) {
      seen.awaitCount(1, SOON);
      if (protocol() == Protocol.CAUSAL) {
        assertThat(seen.values().get(0)).isEqualTo(TextNode.valueOf("optimistic"));
      } else {
        // Strict: only committed values, so the subscription may start before the write lands.
        await(pending);
        seen.await(c -> c.value().equals(Optional.of(TextNode.valueOf("optimistic"))), SOON);
        assertThat(seen.values())
            .isSubsetOf(TextNode.valueOf("committed"), TextNode.valueOf("optimistic"))
            .endsWith(TextNode.valueOf("optimistic"));
      }
    }
  }

  @Test
  void subscribe_seesAnotherClientsDelete() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    await(bob.put("k", "here"));
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribe("k", seen)) {
      seen.await(c -> c.isPresent(), SOON);
      await(bob.delete("k"));
      seen.await(c -> !c.isPresent(), SOON);
    }
  }

  @Test
  void subscribePrefix_seesEachKeyOnce_thenChangesAsKeyAndValue() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    await(bob.putAll(Map.of("room/a", 1, "room/b", 2, "other", 3)));
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribePrefix("room/", ReadOptions.defaults(), seen)) {
      seen.awaitCount(2, SOON);
      await(bob.put("room/c", 3));
      await(bob.delete("room/a"));
      seen.await(c -> c.key().equals("room/a") && !c.isPresent(), SOON);
      seen.await(c -> c.key().equals("room/c") && c.isPresent(), SOON);
      assertThat(seen.changes()).noneMatch(c -> c.key().equals("other"));
    }
  }

  // -- clocks -----------------------------------------------------------------------------------

  @Test
  void writersWithClocksOneSecondOff_areSeenByEachOther() {
    Mps3AsyncClient ahead = client(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1)), b -> b);
    Mps3AsyncClient behind =
        client(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-1)), b -> b);
    await(ahead.put("a", 1));
    await(behind.put("b", 2));
    Mps3AsyncClient reader = client();
    assertThat(await(reader.keys(""))).containsExactly("a", "b");
  }

  @Test
  void aWriterTwentySecondsAhead_withTheAdaptiveClock_isSeenByOthers() {
    Mps3AsyncClient skewed =
        client(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(20)), b -> b);
    await(skewed.put("from-the-future", "hello"));
    assertThat(await(client().get("from-the-future"))).contains(TextNode.valueOf("hello"));
  }

  @Test
  void aWriterTwentySecondsBehind_withoutTheAdaptiveClock_learnsItsWriteWasRejected() {
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-20));
    if (protocol() == Protocol.STRICT) {
      // Slots, not clocks, order a strict log: the setting would do nothing, so it is refused.
      assertThatThrownBy(() -> client(behind, Mps3Config.Builder::disableAdaptiveClock))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("disableAdaptiveClock() has no effect with the strict protocol");
      await(client(behind, b -> b).put("from-the-past", "hello"));
      assertThat(await(client().get("from-the-past"))).contains(TextNode.valueOf("hello"));
      return;
    }
    Mps3AsyncClient skewed = client(behind, Mps3Config.Builder::disableAdaptiveClock);
    assertThatThrownBy(() -> await(skewed.put("from-the-past", "hello")))
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
        .hasMessageContaining("clock");
    assertThat(await(client().get("from-the-past"))).isEmpty();
  }
}
