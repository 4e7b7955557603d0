package io.mps3.testkit.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Absent;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded campaign: three clients write and read through a store that fails calls before and after
 * they land and delays others. Afterwards, with the faults off, every client must converge to one
 * state in which no acknowledged write is lost (each client's own keys hold its last acknowledged
 * value, or a later one it tried) and no value appears that nobody wrote. The seed is in the test
 * name; {@code -Dmps3.campaign.seeds=N} runs more, {@code -Dmps3.campaign.seed=S} replays one.
 */
class CausalFaultCampaignTest {

  private static final int CLIENTS = 3;
  private static final int OPS = 40;
  private static final String DELETED = "<deleted>";

  static List<Long> seeds() {
    return CampaignSeeds.seeds(8);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void underFaults_noAcknowledgedWriteIsLost_andClientsConverge(long seed) {
    run(ObjectStores.inMemory(), "campaign", seed);
  }

  /**
   * Runs one seeded campaign over {@code base} (wrapped with injected faults) in {@code bucket},
   * and checks convergence, no lost acknowledged write and no phantom value.
   */
  static void run(ObjectStore base, String bucket, long seed) {
    FaultInjectingObjectStore store =
        FaultInjectingObjectStore.wrap(base, new Plan(0.05, 0.05, 0.2, Duration.ofMillis(3)), seed);
    List<Mps3AsyncClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(
          Mps3AsyncClient.create(
              Mps3Config.builder()
                  .store(store)
                  .bucket("campaign")
                  .pollInterval(Duration.ofMillis(20))
                  .build()));
    }
    // Per own key: every value tried, in order, and the index of the last acknowledged one.
    Map<String, List<String>> tried = new ConcurrentHashMap<>();
    Map<String, Integer> lastAcked = new ConcurrentHashMap<>();
    Set<String> written = ConcurrentHashMap.newKeySet();
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try {
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        Thread thread =
            new Thread(
                () ->
                    work(
                        id,
                        clients.get(id),
                        new Random(seed * 31 + id),
                        tried,
                        lastAcked,
                        written,
                        acked,
                        failed));
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(2));
      }
      store.enable(false);
      for (Mps3AsyncClient client : clients) {
        Eventually.eventually(
            Duration.ofSeconds(20),
            () ->
                assertThat(state(client, tried.keySet()))
                    .as("seed %d: converged", seed)
                    .isEqualTo(state(clients.get(0), tried.keySet())));
      }
      Map<String, String> reference = state(clients.get(0), tried.keySet());
      for (Map.Entry<String, List<String>> key : tried.entrySet()) {
        String value = reference.get(key.getKey());
        List<String> values = key.getValue();
        int last = lastAcked.getOrDefault(key.getKey(), -1);
        List<String> allowed = new ArrayList<>(values.subList(Math.max(0, last), values.size()));
        if (last < 0) {
          allowed.add(DELETED); // never acknowledged: it may never have landed
        }
        assertThat(allowed)
            .as(
                "seed %d: %s holds %s; tried %s, last acknowledged #%d (faults %s)",
                seed, key.getKey(), value, values, last, store.injected())
            .contains(value);
        assertThat(DELETED.equals(value) || written.contains(value))
            .as("no phantom value")
            .isTrue();
      }
      assertThat(acked.get()).as("seed %d: some writes were acknowledged", seed).isPositive();
      System.out.printf(
          "campaign seed %d: %d writes acknowledged, %d failed, faults injected %s, 0 lost, converged%n",
          seed, acked.get(), failed.get(), store.injected());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      clients.forEach(Mps3AsyncClient::close);
    }
  }

  /** One client's operations, on its own thread; each of its keys is written only by it. */
  private static void work(
      int c,
      Mps3AsyncClient client,
      Random random,
      Map<String, List<String>> tried,
      Map<String, Integer> lastAcked,
      Set<String> written,
      AtomicInteger acked,
      AtomicInteger failed) {
    for (int op = 0; op < OPS; op++) {
      int kind = random.nextInt(10);
      if (kind < 2) {
        readQuietly(client, "c" + random.nextInt(CLIENTS) + "/k" + random.nextInt(3));
        continue;
      }
      Map<String, Object> batch = new LinkedHashMap<>();
      int keys = kind == 9 ? 2 : 1;
      for (int k = 0; k < keys; k++) {
        String key = "c" + c + "/k" + random.nextInt(3);
        boolean delete = random.nextInt(6) == 0;
        batch.put(key, delete ? Absent.ABSENT : "c" + c + "-op" + op + "-" + k);
      }
      batch.forEach(
          (key, value) -> {
            String v = value == Absent.ABSENT ? DELETED : (String) value;
            tried.computeIfAbsent(key, x -> new ArrayList<>()).add(v);
            written.add(v);
          });
      try {
        client.putAll(batch).get(30, TimeUnit.SECONDS);
        acked.incrementAndGet();
        batch
            .keySet()
            .forEach(
                key -> lastAcked.put(key, Objects.requireNonNull(tried.get(key), key).size() - 1));
      } catch (Exception e) {
        failed.incrementAndGet(); // not acknowledged: it may or may not have landed
      }
    }
  }

  private static void readQuietly(Mps3AsyncClient client, String key) {
    try {
      client.get(key).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // reads may fail under faults
    }
  }

  private static Map<String, String> state(Mps3AsyncClient client, Set<String> keys) {
    try {
      client.refresh().join();
      Map<String, String> state = new HashMap<>();
      for (String key : keys) {
        Optional<JsonNode> value = client.get(key).join();
        state.put(key, value.map(JsonNode::asText).orElse(DELETED));
      }
      return state;
    } catch (CompletionException e) {
      throw new AssertionError("read failed with faults off: " + e.getCause(), e);
    }
  }
}
