package io.mps3.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Metrics example, as written there (but for the directory), so it cannot rot. */
class MetricsExampleTest {

  @TempDir Path dir;

  @Test
  void readmeMetricsExample_recordsTheStoreAndTheClient() {
    MeterRegistry registry = new SimpleMeterRegistry(); // or your application's registry
    ObjectStore store =
        MeteredObjectStore.of(ObjectStores.localDirectory(dir.resolve("mps3-data")), registry);
    Mps3Config config =
        Mps3Config.builder()
            .store(store)
            .bucket("chat")
            .metrics(MicrometerClientMetrics.of(registry)) // operations, commits, lag, levels
            .build();
    try (store;
        Mps3Client client = Mps3Client.create(config)) {
      client.put("users/42", "Ada");
    }

    assertThat(registry.find("mps3.store.requests").timers()).isNotEmpty();
    assertThat(registry.get("mps3.client.operations").tag("operation", "put").timer().count())
        .isEqualTo(1);
  }
}
