package io.mps3.testkit;

import static io.mps3.testkit.Futures.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Absent;
import io.mps3.ErrorKind;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The client contract under the strict protocol, plus what only it offers: linearizable reads,
 * create, compare-and-set, transactions, and every change delivered in log order. Subclass it once
 * per store whose conditional creates are atomic.
 */
public abstract class StrictClientContract extends ClientContract {

  @Override
  protected final Protocol protocol() {
    return Protocol.STRICT;
  }

  /** A new strict client of the store under test, closed after the test. */
  protected StrictAsyncClient strict() {
    return (StrictAsyncClient) client();
  }

  /** A new strict client with a clock and more options. */
  protected StrictAsyncClient strict(
      Clock clock, java.util.function.UnaryOperator<Mps3Config.Builder> options) {
    return (StrictAsyncClient) client(clock, options);
  }

  @Test
  void get_afterAnotherClientsPutCompleted_seesIt_withoutWaitingForAPoll() {
    StrictAsyncClient alice = strict();
    StrictAsyncClient bob =
        strict(Clock.systemUTC(), b -> b.pollInterval(java.time.Duration.ofHours(1)));
    assertThat(await(bob.get("k"))).isEmpty();
    await(alice.put("k", "new"));
    assertThat(await(bob.get("k"))).contains(TextNode.valueOf("new"));
  }

  @Test
  void aNewClient_opensFromACheckpointInSegments_aDeltaOnABase() {
    StrictAsyncClient writer = strict(Clock.systemUTC(), b -> b.checkpointInterval(2));
    await(writer.putAll(Map.of("a", 1, "b", 2, "c", 3, "d", 4, "e", 5))); // slot 1
    await(writer.put("a", 10)); // slot 2: checkpoint 2, a base of five files
    await(writer.delete("b"));
    await(writer.put("f", 6)); // slot 4: checkpoint 4, a delta on it (b deleted, f)
    String head = manifest + "/head";
    Eventually.eventually(
        SOON,
        () ->
            assertThat(await(store().get(bucket(), head)))
                .isInstanceOfSatisfying(
                    io.mps3.spi.GetResult.Found.class,
                    found ->
                        assertThat(new String(found.object().body(), UTF_8))
                            .isEqualTo("{\"checkpoint\":4}")));
    StrictAsyncClient reader = strict();
    assertThat(await(reader.keys(""))).containsExactly("a", "c", "d", "e", "f");
    assertThat(await(reader.get("a"))).contains(IntNode.valueOf(10));
  }

  @Test
  void create_writesOnlyWhenAbsent_andOneOfManyRacersWins() {
    StrictAsyncClient alice = strict();
    assertThat(await(alice.create("id", "first"))).isTrue();
    assertThat(await(alice.create("id", "second"))).isFalse();
    assertThat(await(strict().get("id"))).contains(TextNode.valueOf("first"));

    List<StrictAsyncClient> racers = List.of(strict(), strict(), strict(), strict());
    List<CompletableFuture<Boolean>> creates = new ArrayList<>();
    for (int i = 0; i < racers.size(); i++) {
      creates.add(racers.get(i).create("race", "racer " + i));
    }
    long winners = creates.stream().filter(Futures::await).count();
    assertThat(winners).isEqualTo(1);
  }

  @Test
  void compareAndSet_onTheVersionRead_succeeds_onAStaleOne_fails() {
    StrictAsyncClient alice = strict();
    StrictAsyncClient bob = strict();
    await(alice.put("doc", 1));
    Versioned read = await(bob.getVersioned("doc")).orElseThrow();
    assertThat(read.value()).isEqualTo(IntNode.valueOf(1));
    assertThat(await(bob.compareAndSet("doc", read.version(), 2))).isTrue();
    assertThat(await(alice.compareAndSet("doc", read.version(), 3))).isFalse();
    Versioned now = await(alice.getVersioned("doc")).orElseThrow();
    assertThat(now.value()).isEqualTo(IntNode.valueOf(2));
    assertThat(now.version()).isGreaterThan(read.version());
    assertThat(await(alice.compareAndSet("doc", now.version(), Absent.ABSENT))).isTrue();
    assertThat(await(bob.getVersioned("doc"))).isEmpty();
    assertThat(await(bob.compareAndSet("doc", 0, "again"))).isTrue();
  }

  @Test
  void compareAndSetAll_writesEveryKey_onlyIfEveryVersionHolds() {
    StrictAsyncClient alice = strict();
    await(alice.putAll(Map.of("a", 1, "b", 2)));
    long a = await(alice.getVersioned("a")).orElseThrow().version();
    long b = await(alice.getVersioned("b")).orElseThrow().version();
    await(strict().put("b", 20));
    assertThat(
            await(
                alice.compareAndSetAll(
                    Map.of("a", a, "b", b), Map.of("a", 10, "c", 30), WriteOptions.defaults())))
        .isFalse();
    assertThat(await(alice.keys(""))).containsExactly("a", "b");
    long b2 = await(alice.getVersioned("b")).orElseThrow().version();
    assertThat(
            await(
                alice.compareAndSetAll(
                    Map.of("a", a, "b", b2), Map.of("a", 10, "c", 30), WriteOptions.defaults())))
        .isTrue();
    StrictAsyncClient reader = strict();
    assertThat(await(reader.get("a"))).contains(IntNode.valueOf(10));
    assertThat(await(reader.get("c"))).contains(IntNode.valueOf(30));
  }

  @Test
  void transaction_incrementsOneCounterExactly_fromSeveralClientsAtOnce() {
    List<StrictAsyncClient> clients = List.of(strict(), strict(), strict());
    int each = 15;
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (StrictAsyncClient c : clients) {
      for (int i = 0; i < each; i++) {
        all.add(
            c.transaction(
                tx -> {
                  int n = tx.get("counter", Integer.class).orElse(0);
                  tx.put("counter", n + 1);
                  return n + 1;
                }));
      }
    }
    List<Integer> results = new ArrayList<>();
    all.forEach(f -> results.add(await(f)));
    assertThat(results).doesNotHaveDuplicates().hasSize(clients.size() * each);
    assertThat(await(strict().get("counter"))).contains(IntNode.valueOf(clients.size() * each));
  }

  @Test
  void transaction_seesItsOwnWrites_andAReadOnlyOneWritesNothing() {
    StrictAsyncClient alice = strict();
    String seen =
        await(
            alice.transaction(
                tx -> {
                  tx.put("x", "mine");
                  tx.delete("y");
                  return tx.get("x").map(JsonNode::asText).orElse("none")
                      + "/"
                      + tx.get("y").isPresent();
                }));
    assertThat(seen).isEqualTo("mine/false");
    long version = await(alice.getVersioned("x")).orElseThrow().version();
    String read = await(alice.transaction(tx -> tx.get("x").orElseThrow().asText()));
    assertThat(read).isEqualTo("mine");
    assertThat(await(alice.getVersioned("x")).orElseThrow().version()).isEqualTo(version);
  }

  @Test
  void transaction_thatKeepsConflicting_failsWithConflict_afterItsAttempts() {
    StrictAsyncClient alice = strict(Clock.systemUTC(), b -> b.transactionAttempts(3));
    StrictAsyncClient meddler = strict();
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Object> doomed =
        alice.transaction(
            tx -> {
              int n = tx.get("hot", Integer.class).orElse(0);
              await(meddler.put("hot", n + 100 + runs.incrementAndGet()));
              tx.put("hot", n + 1);
              return null;
            });
    assertThatThrownBy(() -> await(doomed))
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
        .hasMessageContaining("3 attempts");
    assertThat(runs).hasValue(3);
  }

  @Test
  void subscribe_deliversEveryCommittedChange_inLogOrder() {
    StrictAsyncClient alice = strict();
    StrictAsyncClient bob = strict();
    Recorder seen = new Recorder();
    try (Subscription ignored = alice.subscribe("seq", seen)) {
      seen.awaitCount(1, SOON); // absent
      for (int i = 1; i <= 20; i++) {
        await(bob.put("seq", i));
      }
      seen.await(c -> c.value().map(v -> v.asInt() == 20).orElse(false), SOON);
      List<Integer> numbers = new ArrayList<>();
      seen.values().stream().skip(1).forEach(v -> numbers.add(v.asInt()));
      List<Integer> expected = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        expected.add(i);
      }
      assertThat(numbers).isEqualTo(expected);
    }
  }

  @Test
  void largeValues_travelAsContentObjects_andRoundTrip() {
    StrictAsyncClient alice = strict(Clock.systemUTC(), b -> b.inlineLimit(100));
    Map<String, Object> big = new HashMap<>();
    big.put("text", "x".repeat(5000));
    await(alice.putAll(Map.of("big", big, "small", "s")));
    StrictAsyncClient bob = strict();
    assertThat(await(bob.get("big")).orElseThrow().get("text").asText()).hasSize(5000);
    assertThat(await(bob.get("small"))).contains(TextNode.valueOf("s"));
  }

  @Test
  void aTransactionBodysOwnException_reachesTheCallerUnchanged_andNothingIsWritten() {
    StrictAsyncClient alice = strict();
    IllegalStateException thrown = new IllegalStateException("the body's own");
    CompletableFuture<Object> failed =
        alice.transaction(
            tx -> {
              tx.put("half", 1);
              throw thrown;
            });
    assertThat(failed.handle((value, error) -> error).join()).isSameAs(thrown);
    assertThatThrownBy(
            () ->
                alice
                    .sync()
                    .transaction(
                        tx -> {
                          throw thrown;
                        }))
        .isSameAs(thrown);
    assertThat(await(strict().get("half"))).isEmpty();
  }

  @Test
  void aValueReadInATransaction_changedByTheBody_changesNeitherTheStateNorWhatItWrote() {
    StrictAsyncClient alice = strict();
    await(alice.put("doc", Map.of("title", "v1")));
    ObjectNode written = JsonNodeFactory.instance.objectNode().put("title", "as written");
    await(
        alice.transaction(
            tx -> {
              ((ObjectNode) tx.get("doc").orElseThrow()).put("title", "changed by the body");
              tx.put("copy", written);
              written.put("title", "changed after tx.put");
              ((ObjectNode) tx.get("copy").orElseThrow()).put("title", "changed again");
              return null;
            }));
    assertThat(await(alice.get("doc")).orElseThrow().get("title").asText()).isEqualTo("v1");
    assertThat(await(strict().get("doc")).orElseThrow().get("title").asText()).isEqualTo("v1");
    assertThat(await(strict().get("copy")).orElseThrow().get("title").asText())
        .isEqualTo("as written");
  }
}
