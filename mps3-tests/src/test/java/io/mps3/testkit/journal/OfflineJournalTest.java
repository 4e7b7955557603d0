package io.mps3.testkit.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.Futures;
import io.mps3.testkit.Recorder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Offline-first in one process: a client over a store whose network the test switches off and on.
 * Writes are acknowledged locally while the store is down, reads and subscriptions see them, and
 * they land in order, each once, when it is back; a journal outlives the client.
 */
// Each test has its own store, journal and clients, and mostly waits for retries: they run at once.
@Order(2)
@Execution(ExecutionMode.CONCURRENT)
class OfflineJournalTest {

  private static final WriteOptions LOCAL = WriteOptions.defaults().acknowledgedLocally();
  private static final Duration LONG = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final ObjectStore bucket = ObjectStores.inMemory();
  private final SwitchableStore store = new SwitchableStore(bucket);
  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void closeAll() {
    clients.forEach(Mps3AsyncClient::close);
  }

  private Mps3AsyncClient client(Mps3Config.Builder options) {
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            options
                .store(store)
                .bucket("offline")
                .pollInterval(Duration.ofMillis(50))
                .disableAutoclean()
                .build());
    clients.add(client);
    return client;
  }

  private Mps3AsyncClient journaled() {
    return client(Mps3Config.builder().journal(dir.resolve("journal")));
  }

  private static Set<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toSet());
  }

  @Test
  void writes_whileTheStoreIsDown_areSeenAtOnce_andLandInOrderOnceWhenItIsBack() {
    Mps3AsyncClient client = journaled();
    Futures.await(client.put("before", 0)); // opens the manifest while the store is up
    Recorder seen = new Recorder();
    try (Subscription ignored = client.subscribePrefix("w/", ReadOptions.defaults(), seen)) {
      store.set(SwitchableStore.Mode.DOWN);
      for (int i = 0; i < 20; i++) {
        assertThat(client.put("w/" + i, i, LOCAL)).isCompleted();
      }
      CompletableFuture<Void> last = client.put("last", true);
      for (int i = 0; i < 20; i++) {
        assertThat(Futures.await(client.get("w/" + i))).contains(IntNode.valueOf(i));
      }
      seen.await(c -> c.key().equals("w/19"), LONG);
      assertThat(last).as("a write acknowledged by the bucket waits for it").isNotDone();
      assertThat(journalFiles()).as("journal files while down").hasSizeGreaterThanOrEqualTo(21);

      store.set(SwitchableStore.Mode.UP);
      Futures.await(last.orTimeout(60, TimeUnit.SECONDS));
    }
    EntryHistory.read(bucket, "offline", "manifest.json").assertExactlyOnceInOrder(upTo(20), 20);
    assertThat(journalFiles()).as("journal files once all landed").isEmpty();
    Mps3AsyncClient other = client(Mps3Config.builder());
    assertThat(Futures.await(other.get("w/19"))).contains(IntNode.valueOf(19));
  }

  @Test
  void writesAcknowledgedLocally_withoutAJournal_areSentAgainWhileTheClientLives() {
    Mps3AsyncClient client = client(Mps3Config.builder());
    Futures.await(client.put("before", 0));
    store.set(SwitchableStore.Mode.DOWN);
    // Without a journal, a write the caller waits for still fails when its commit fails.
    assertThatThrownBy(() -> client.put("fails", 1).get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(Mps3Exception.class)
        .satisfies(e -> assertThat(((Mps3Exception) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    for (int i = 0; i < 10; i++) {
      assertThat(client.put("w/" + i, i, LOCAL)).isCompleted();
    }
    store.set(SwitchableStore.Mode.UP);
    Eventually.eventually(
        LONG,
        () ->
            EntryHistory.read(bucket, "offline", "manifest.json")
                .assertExactlyOnceInOrder(upTo(10), 10));
  }

  @Test
  void aJournal_outlivesItsClient_andTheNextClientSeesAndSendsItsWrites() {
    Mps3AsyncClient first = journaled();
    Futures.await(first.put("before", 0));
    store.set(SwitchableStore.Mode.DOWN);
    for (int i = 0; i < 5; i++) {
      Futures.await(first.put("w/" + i, i, LOCAL)); // acknowledged locally: at once
    }
    first.close();

    Mps3AsyncClient second = journaled();
    for (int i = 0; i < 5; i++) {
      assertThat(Futures.await(second.get("w/" + i)))
          .as("w/%d read from the journal while the store is down", i)
          .contains(IntNode.valueOf(i));
    }
    store.set(SwitchableStore.Mode.UP);
    Futures.await(second.put("w/5", 5).orTimeout(60, TimeUnit.SECONDS));
    EntryHistory.read(bucket, "offline", "manifest.json").assertExactlyOnceInOrder(upTo(6), 6);
  }

  @Test
  void aJournaledNumber_isSentByTheNextClient_exactlyAsItWasPut() {
    BigDecimal huge = new BigDecimal("1e400"); // a double would make it Infinity
    BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288");
    Mps3AsyncClient first = journaled();
    Futures.await(first.put("before", 0));
    store.set(SwitchableStore.Mode.DOWN);
    Futures.await(first.put("numbers", Map.of("huge", huge, "pi", pi), LOCAL));
    first.close();

    Mps3AsyncClient second = journaled(); // reads the write back from the journal file
    store.set(SwitchableStore.Mode.UP);
    Futures.await(second.put("after", 1).orTimeout(60, TimeUnit.SECONDS)); // lands after it

    JsonNode landed = Futures.await(client(Mps3Config.builder()).get("numbers")).orElseThrow();
    assertThat(landed.get("huge").decimalValue()).isEqualTo(huge);
    assertThat(landed.get("pi").decimalValue()).isEqualTo(pi);
  }

  @Test
  void aWriteTheStoreRefuses_failsClearly_staysJournaled_andLandsFromTheNextClient()
      throws Exception {
    Mps3AsyncClient first = journaled();
    Futures.await(first.put("before", 0));
    Recorder seen = new Recorder();
    first.subscribe("w/0", ReadOptions.defaults(), seen);
    store.set(SwitchableStore.Mode.WRITES_DENIED);
    CompletableFuture<Void> denied = first.put("w/0", 0);
    assertThatThrownBy(() -> denied.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Mps3Exception.class)
        .cause()
        .hasMessageContaining("access denied")
        .hasMessageContaining("stays in the journal")
        .satisfies(e -> assertThat(((Mps3Exception) e).kind()).isEqualTo(ErrorKind.INVALID));
    Eventually.eventually(LONG, () -> assertThat(seen.errors()).isNotEmpty());
    assertThat(Futures.await(first.get("w/0"))).contains(IntNode.valueOf(0));
    assertThat(journalFiles()).anyMatch(name -> name.startsWith("w-"));
    first.close();

    store.set(SwitchableStore.Mode.UP);
    Mps3AsyncClient second = journaled();
    Futures.await(second.put("w/1", 1).orTimeout(60, TimeUnit.SECONDS));
    EntryHistory.read(bucket, "offline", "manifest.json").assertExactlyOnceInOrder(upTo(2), 2);
  }

  @Test
  void entryPuts_thatLandButLoseTheirAnswer_areNotSentTwice() {
    Mps3AsyncClient client = journaled();
    Futures.await(client.put("before", 0));
    store.entryAnswersToLose.set(3);
    for (int i = 0; i < 10; i++) {
      Futures.await(client.put("w/" + i, i, LOCAL)); // acknowledged locally: at once
    }
    Futures.await(client.put("w/10", 10).orTimeout(60, TimeUnit.SECONDS));
    assertThat(store.entryAnswersToLose.get()).as("answers lost").isLessThan(3);
    EntryHistory.read(bucket, "offline", "manifest.json").assertExactlyOnceInOrder(upTo(11), 11);
    assertThat(journalFiles()).isEmpty();
  }

  @Test
  void entryPuts_thatFailBeforeLanding_areSentAgainOnceTheyCanNoLongerCount() {
    Mps3AsyncClient client = client(Mps3Config.builder()); // in-memory bookkeeping, no journal
    Futures.await(client.put("before", 0));
    store.entryPutsToFail.set(2);
    for (int i = 0; i < 5; i++) {
      Futures.await(client.put("w/" + i, i, LOCAL)); // acknowledged locally: at once
    }
    Eventually.eventually(
        LONG,
        () ->
            EntryHistory.read(bucket, "offline", "manifest.json")
                .assertExactlyOnceInOrder(upTo(5), 5));
    assertThat(store.entryPutsToFail).hasValue(0);
  }

  @Test
  void anUnreadableJournalFile_stopsTheClientFromOpening_namingTheFile() throws IOException {
    Path journal = Files.createDirectories(dir.resolve("journal"));
    Files.writeString(journal.resolve("w-00000000000000000001.json"), "{\"format\":1,\"seq\":");
    Files.writeString(journal.resolve("w-00000000000000000002.json.tmp"), "half written");
    assertThatThrownBy(this::journaled)
        .isInstanceOf(Mps3Exception.class)
        .hasMessageContaining("w-00000000000000000001.json")
        .hasMessageContaining("not JSON")
        .satisfies(e -> assertThat(((Mps3Exception) e).kind()).isEqualTo(ErrorKind.CORRUPT));
    assertThat(journalFiles()).containsExactly("w-00000000000000000001.json");
    Files.delete(journal.resolve("w-00000000000000000001.json"));
    Futures.await(journaled().put("w/0", 0));
    EntryHistory.read(bucket, "offline", "manifest.json").assertExactlyOnceInOrder(upTo(1), 1);
  }

  @Test
  void aJournalInUse_cannotBeOpenedByASecondClient() {
    journaled();
    assertThatThrownBy(this::journaled)
        .isInstanceOf(Mps3Exception.class)
        .hasMessageContaining(dir.resolve("journal").toString())
        .hasMessageContaining("in use by another MPS3 client")
        .satisfies(e -> assertThat(((Mps3Exception) e).kind()).isEqualTo(ErrorKind.INVALID));
  }

  @Test
  void aWriteToSeveralManifests_landsOnceInEach_afterAnOutage() {
    Mps3AsyncClient client = journaled();
    Futures.await(client.put("before", 0, WriteOptions.manifests("a", "b")));
    store.set(SwitchableStore.Mode.DOWN);
    for (int i = 0; i < 5; i++) {
      Futures.await(
          client.put("w/" + i, i, WriteOptions.manifests("a", "b").acknowledgedLocally()));
    }
    assertThat(Futures.await(client.get("w/4", ReadOptions.manifest("b"))))
        .contains(IntNode.valueOf(4));
    store.set(SwitchableStore.Mode.UP);
    Futures.await(
        client.put("w/5", 5, WriteOptions.manifests("a", "b")).orTimeout(60, TimeUnit.SECONDS));
    EntryHistory.read(bucket, "offline", "a").assertExactlyOnceInOrder(upTo(6), 6);
    EntryHistory.read(bucket, "offline", "b").assertExactlyOnceInOrder(upTo(6), 6);
    assertThat(journalFiles()).isEmpty();
  }

  private List<String> journalFiles() {
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> !name.equals("lock"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
