package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import io.mps3.testkit.ForwardingObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #17, item 3: the strict first-use check tells the store's errors from lost races, several
 * first uses at once agree on one verdict recorded once in the bucket, and a store whose creates
 * let two racers win is still refused.
 */
class StrictFirstUseTest {

  private static final String BUCKET = "first-use";
  private static final String RECORD = ".mps3/strict-check.json";

  @TempDir Path dir;

  private OpenedStrictClients opened;

  @BeforeEach
  void openResources() {
    opened = new OpenedStrictClients(BUCKET, dir); // dir is injected by now
  }

  @AfterEach
  void close() throws Exception {
    opened.close();
  }

  private ObjectStore store(String kind) {
    return opened.store(kind);
  }

  private StrictAsyncClient client(ObjectStore store, UnaryOperator<Mps3Config.Builder> options) {
    return opened.client(store, options);
  }

  private static JsonNode record(ObjectStore store) throws IOException {
    GetResult result = await(store.get(BUCKET, RECORD));
    assertThat(result).isInstanceOf(GetResult.Found.class);
    return new ObjectMapper().readTree(((GetResult.Found) result).object().body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "directory"})
  void theCheck_onAStoreThatFailsManyOfItsCalls_retriesThem_andPasses(String kind)
      throws IOException {
    ObjectStore store = store(kind);
    // A third of the check's calls fail before the store, a fifth lose their answer: about one
    // round in three has fewer than half its racers answered, and the record's reads and writes
    // fail too. The manifest's own objects are spared: this is about the check.
    FaultInjectingObjectStore faulty =
        FaultInjectingObjectStore.wrap(store, new Plan(0.33, 0.2, 0, Duration.ZERO), 17);
    faulty.target(key -> key.startsWith(".mps3/"));

    await(client(faulty, b -> b).put("k", 1));

    assertThat(faulty.injected().get(Fault.BEFORE)).isGreaterThan(50);
    assertThat(record(store).path("atomicConditionalCreates").booleanValue()).isTrue();
    assertThat(await(client(store, b -> b).get("k"))).contains(IntNode.valueOf(1));
  }

  @Test
  void severalClientsCheckingANewBucketAtOnce_allPass_andAgreeOnOneRecordedVerdict()
      throws IOException {
    ObjectStore memory = store("memory");
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // A store object each: no client trusts the pass another remembers.
      puts.add(client(CountingObjectStore.wrap(memory), b -> b).put("k" + i, i));
    }
    puts.forEach(put -> await(put));
    assertThat(record(memory).path("atomicConditionalCreates").booleanValue()).isTrue();
    for (int i = 0; i < 4; i++) {
      assertThat(await(client(memory, b -> b).get("k" + i))).contains(IntNode.valueOf(i));
    }
  }

  @Test
  void aStoreWhereTwoRacersWin_isRefused_andTheRefusalIsRecordedForLaterClients()
      throws IOException {
    ObjectStore memory = store("memory");
    ObjectStore racy = new RacyCreates(memory);
    StrictAsyncClient first = client(racy, b -> b);
    assertThatThrownBy(() -> await(first.put("k", 1)))
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
        .hasMessageContaining("16 of 16 racing If-None-Match: * creates of one key won (round 1")
        .hasMessageContaining("use the causal protocol");
    JsonNode verdict = record(memory);
    assertThat(verdict.path("atomicConditionalCreates").booleanValue()).isFalse();
    assertThat(verdict.path("refusal").asText()).contains("racing If-None-Match: * creates");
    assertThat(await(memory.listAll(BUCKET, "manifest.json/", null))).isEmpty();

    // A later client, in another process say, adopts the verdict: one GET, no race.
    CountingObjectStore later = CountingObjectStore.wrap(new RacyCreates(memory));
    StrictAsyncClient second = client(later, b -> b);
    assertThatThrownBy(() -> await(second.put("k", 1)))
        .isInstanceOfSatisfying(
            Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
        .hasMessageContaining("racing If-None-Match: * creates of one key won")
        .hasMessageContaining("the verdict of an earlier check, recorded in " + RECORD)
        .hasMessageContaining("delete it to check again");
    assertThat(later.count(Call.GET)).isEqualTo(1);
    assertThat(later.count(Call.PUT)).isZero();
  }

  /** A store whose {@code If-None-Match: *} is not atomic for the check's race objects. */
  private static final class RacyCreates extends ForwardingObjectStore {
    RacyCreates(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<PutOutcome> put(
        String bucket, String key, byte[] body, PutOptions options) {
      boolean race = key.startsWith(".mps3/strict-check-");
      return delegate.put(bucket, key, body, race ? PutOptions.unconditional() : options);
    }

    @Override
    public void close() {}
  }
}
