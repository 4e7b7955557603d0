package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #17, item 2: a strict write whose create lost its answer rides out an outage of the store
 * (it reads its slot until the outage timeout), and a write reported unknown has its fate told once
 * a read of its slot shows it. On the in-memory store and the local directory, behind the testkit's
 * fault injection.
 */
class StrictOutageTest {

  private static final String BUCKET = "outage";
  private static final String SLOT_2 = "manifest.json/log/" + String.format("%020d", 2);
  private static final String SLOT_3 = "manifest.json/log/" + String.format("%020d", 3);

  /** Every answer is lost: creates land but report an unknown outcome, reads fail. */
  private static final Plan ANSWERS_LOST = new Plan(0, 1.0, 0, Duration.ZERO);

  /** Nothing reaches the store. */
  private static final Plan NOTHING_REACHES = new Plan(1.0, 0, 0, Duration.ZERO);

  @TempDir Path dir;

  private OpenedStrictClients opened;

  @BeforeEach
  void openResources() {
    opened = new OpenedStrictClients(BUCKET, dir); // dir is injected by now
  }

  private final Logger fates = Logger.getLogger("io.mps3.internal.strict.UnknownOutcomes");
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @AfterEach
  void close() throws Exception {
    fates.removeHandler(capture);
    fates.setLevel(null);
    opened.close();
  }

  private ObjectStore store(String kind) {
    return opened.store(kind);
  }

  private StrictAsyncClient client(ObjectStore store, UnaryOperator<Mps3Config.Builder> options) {
    return opened.client(store, options);
  }

  /** A client behind fault injection, warmed up (store checked, slot 1 written) before faults. */
  private StrictAsyncClient faultyClient(
      FaultInjectingObjectStore faulty, UnaryOperator<Mps3Config.Builder> options) {
    faulty.enable(false);
    StrictAsyncClient client = client(faulty, options);
    await(client.put("warm", 0));
    return client;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "directory"})
  void aWriteWhoseAnswerIsLost_andWhoseSlotCannotBeReadFor2s_landsOnceTheStoreAnswersAgain(
      String kind) throws Exception {
    ObjectStore store = store(kind);
    FaultInjectingObjectStore faulty = FaultInjectingObjectStore.wrap(store, ANSWERS_LOST, 17);
    StrictAsyncClient writer = faultyClient(faulty, b -> b);

    faulty.enable(true);
    long outageStarted = System.nanoTime();
    CompletableFuture<Void> put = writer.put("k", 1);
    // The outage: 2 s, and more failed reads of the slot than the 6 the client used to allow.
    Eventually.eventually(
        Duration.ofSeconds(10),
        () -> {
          assertThat(faulty.injected().get(Fault.AFTER)).isGreaterThan(8);
          assertThat(System.nanoTime() - outageStarted)
              .isGreaterThan(Duration.ofSeconds(2).toNanos());
        });
    assertThat(put).as("still resolving its slot during the outage").isNotDone();
    assertThat(await(store.get(BUCKET, SLOT_2))).isInstanceOf(GetResult.Found.class);
    faulty.enable(false);

    put.get(10, TimeUnit.SECONDS); // landed: success, not an unknown outcome
    assertThat(await(client(store, b -> b).get("k"))).contains(IntNode.valueOf(1));
    assertThat(await(store.get(BUCKET, SLOT_3))).isInstanceOf(GetResult.NotFound.class); // once
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "directory"})
  void aWriteWhoseSlotCannotBeReadPastTheTimeout_failsAsUnknown_andALaterReadTellsItLanded(
      String kind) {
    captureFates();
    ObjectStore store = store(kind);
    FaultInjectingObjectStore faulty = FaultInjectingObjectStore.wrap(store, ANSWERS_LOST, 18);
    StrictAsyncClient writer = faultyClient(faulty, b -> b.outageTimeout(Duration.ofSeconds(1)));

    faulty.enable(true);
    CompletionStage<Boolean> later = assertUnknown(writer.put("k", 1));
    faulty.enable(false);

    // The create had landed: the next read of the manifest reads slot 2 and tells.
    assertThat(await(writer.get("k"))).contains(IntNode.valueOf(1));
    assertThat(await(later.toCompletableFuture())).isTrue();
    Eventually.eventually(
        Duration.ofSeconds(5),
        () ->
            assertThat(logged)
                .anySatisfy(
                    line ->
                        assertThat(line)
                            .startsWith("INFO")
                            .contains("keys [k] of manifest manifest.json")
                            .contains("landed after all: slot 2 holds it")));
    await(writer.put("k", 2)); // the client goes on at slot 3
    assertThat(await(client(store, b -> b).get("k"))).contains(IntNode.valueOf(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "directory"})
  void aWriteReportedUnknown_whoseSlotAnotherWriterTook_isToldItDidNotLand(String kind) {
    captureFates();
    ObjectStore store = store(kind);
    FaultInjectingObjectStore faulty = FaultInjectingObjectStore.wrap(store, NOTHING_REACHES, 19);
    StrictAsyncClient writer = faultyClient(faulty, b -> b.outageTimeout(Duration.ofSeconds(1)));

    faulty.enable(true); // a failed create cannot say it did not land: unknown too
    CompletionStage<Boolean> later = assertUnknown(writer.put("k", 1));
    await(client(store, b -> b).put("k", 5)); // another writer takes slot 2
    faulty.enable(false);

    assertThat(await(writer.get("k"))).contains(IntNode.valueOf(5));
    assertThat(await(later.toCompletableFuture())).isFalse();
    Eventually.eventually(
        Duration.ofSeconds(5),
        () ->
            assertThat(logged)
                .anySatisfy(
                    line ->
                        assertThat(line)
                            .startsWith("INFO")
                            .contains("keys [k]")
                            .contains("did not land, and never will: slot 2 holds another")));
  }

  private void captureFates() {
    fates.setLevel(Level.INFO); // the tests' logging configuration keeps only warnings
    capture.setLevel(Level.ALL);
    fates.addHandler(capture);
  }

  /** Asserts the put failed as unknown; returns what the client will learn of it later. */
  private static CompletionStage<Boolean> assertUnknown(CompletableFuture<Void> put) {
    ExecutionException failed =
        catchThrowableOfType(ExecutionException.class, () -> put.get(20, TimeUnit.SECONDS));
    assertThat(failed.getCause())
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.OUTCOME_UNKNOWN))
        .hasMessageContaining("slot 2")
        .hasMessageContaining("within the outage timeout of 1.0 s (last failure: injected fault")
        .hasMessageContaining("the write may still land")
        .hasMessageContaining("completes laterOutcome() and logs at INFO whether it landed");
    Mps3Exception unknown = (Mps3Exception) Objects.requireNonNull(failed.getCause());
    CompletionStage<Boolean> later = unknown.laterOutcome().orElseThrow();
    assertThat(later.toCompletableFuture()).isNotDone(); // nothing read the slot yet
    return later;
  }
}
