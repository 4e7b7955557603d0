package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalLog;
import io.mps3.internal.causal.CausalSettings;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reader that trusts window claims (design 0024) resolves every bucket to the state a reader that
 * replays every entry of the window (the JavaScript client's way) resolves it to. Three writers
 * put, delete and batch over a few keys, at random moments (a writer commits on a view listed up to
 * 3 s before, so their entries cross); after every write, one new reader of each kind opens the
 * manifest.
 */
class WindowClaimEquivalenceTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void aReaderTrustingClaims_resolvesWhatAFullReplayResolves(long seed) {
    Random random = new Random(seed);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-08T12:00:00Z"));
    CountingObjectStore store = CountingObjectStore.wrap(ObjectStores.inMemory(clock));
    List<Mps3AsyncClient> writers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      writers.add(
          Mps3AsyncClient.create(
              Mps3Config.builder()
                  .store(store)
                  .bucket("claims")
                  .clock(clock)
                  .pollInterval(Duration.ofHours(1))
                  .disableAutoclean()
                  .build()));
    }
    int claimed = 0;
    try {
      for (int step = 0; step < 60; step++) {
        clock.advance(Duration.ofMillis(random.nextInt(random.nextBoolean() ? 200 : 2500)));
        Mps3AsyncClient writer = writers.get(random.nextInt(writers.size()));
        String key = "k" + random.nextInt(4);
        switch (random.nextInt(5)) {
          case 0 -> await(writer.delete(key));
          case 1 -> await(writer.putAll(Map.of(key, step, "k" + random.nextInt(4) + "b", step)));
          default -> await(writer.put(key, step));
        }
        store.reset();
        ObjectNode full = resolve(store, clock, false);
        long fullGets = store.counts().getOrDefault(CountingObjectStore.Call.GET, 0L);
        store.reset();
        ObjectNode trusting = resolve(store, clock, true);
        long trustingGets = store.counts().getOrDefault(CountingObjectStore.Call.GET, 0L);
        assertThat(trusting).as("state after step %d", step).isEqualTo(full);
        if (trustingGets < fullGets) {
          claimed++;
        }
      }
    } finally {
      writers.forEach(Mps3AsyncClient::close);
    }
    // Not vacuous: some bases' claims held (a writer alone in its window, or having read it all).
    assertThat(claimed).as("resolutions that a claim made cheaper").isPositive();
  }

  private static ObjectNode resolve(
      CountingObjectStore store, ManualClock clock, boolean windowClaims) {
    CausalSettings settings = CausalSettings.readingOnly(windowClaims);
    CausalLog log =
        new CausalLog(
            store,
            "claims",
            new CausalLayout("manifest.json"),
            clock,
            settings,
            "reader" + (windowClaims ? 1 : 0),
            new AtomicLong(),
            (key, reason) -> {
              throw new AssertionError("skipped " + key + ": " + reason);
            });
    return await(log.refresh(null)).state();
  }
}
