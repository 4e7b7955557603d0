package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A causal manifest over the advised size (README: 5,000 keys; each put writes the whole state) is
 * reported once per manifest and client, naming the manifest and its size.
 */
class LargeCausalManifestTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final ObjectStore store = ObjectStores.inMemory(clock);
  private final Logger logger =
      Logger.getLogger("io.mps3.internal.causal.LargeManifestWarning"); // held: JUL keeps weak refs
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
  void removeHandler() {
    logger.removeHandler(capture);
  }

  private Mps3AsyncClient client() {
    return Mps3AsyncClient.create(
        Mps3Config.builder()
            .store(store)
            .bucket("large")
            .manifest("rooms/big.json")
            .clock(clock)
            .pollInterval(Duration.ofHours(1))
            .build());
  }

  @Test
  void aManifestOverTheAdvisedSize_isReportedOncePerClient() {
    logger.addHandler(capture);
    try (Mps3AsyncClient writer = client()) {
      Map<String, Integer> keys = new TreeMap<>();
      for (int i = 0; i < 5_000; i++) {
        keys.put("k" + i, i);
      }
      await(writer.putAll(keys));
      assertThat(logged).as("5,000 keys is the advised most").isEmpty();
      clock.advance(Duration.ofMillis(100));
      await(writer.put("one-more", 1));
      clock.advance(Duration.ofMillis(100));
      await(writer.put("and-another", 2));
      assertThat(logged)
          .containsExactly(
              "WARNING causal manifest rooms/big.json holds 5001 keys, over the 5000 a causal"
                  + " manifest should hold: each put writes the whole state (about 450 KB now),"
                  + " and opening it reads that per entry of the last 5 s; split it or use a"
                  + " strict manifest (README)");
      try (Mps3AsyncClient reader = client()) {
        await(reader.get("k1"));
        await(reader.refresh());
      }
      assertThat(logged).hasSize(2);
      assertThat(logged.get(1)).contains("rooms/big.json holds 5002 keys");
    }
  }
}
