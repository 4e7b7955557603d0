package io.mps3.testkit.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Absent;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.testkit.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start, as written there, so it cannot rot. */
class QuickStartExampleTest {

  @TempDir Path dir;

  @Test
  void readmeQuickStart_works() {
    Recorder seen = new Recorder();
    Mps3Config config =
        Mps3Config.builder()
            .localDirectory(
                dir.resolve("mps3-data")) // or .store(S3ObjectStore.builder()...build())
            .bucket("chat")
            .build();
    try (Mps3Client client = Mps3Client.create(config)) {
      client.put("rooms/lobby/title", "The lobby"); // any Jackson value
      client.put("users/42", Map.of("name", "Ada", "online", true));
      Optional<JsonNode> ada = client.get("users/42"); // empty when absent
      client.putAll(Map.of("a", 1, "b", Absent.ABSENT)); // atomic; ABSENT deletes
      try (Subscription s = client.subscribe("rooms/lobby/title", seen)) {
        client.put("rooms/lobby/title", "Lobby (renamed)"); // the listener sees it at once
        seen.await(
            c -> c.value().map(JsonNode::asText).orElse("").equals("Lobby (renamed)"),
            Duration.ofSeconds(10));
      }
      assertThat(ada.orElseThrow().get("name").asText()).isEqualTo("Ada");
      assertThat(client.keys("")).containsExactly("a", "rooms/lobby/title", "users/42");
    }
  }

  @Test
  void readmeStrictProtocolExample_works() {
    Mps3Config config =
        Mps3Config.builder()
            .localDirectory(dir.resolve("mps3-data"))
            .strictProtocol() // needs atomic If-None-Match: * creates
            .build();
    try (StrictClient client = StrictClient.create(config)) {
      client.put("doc", Map.of("title", "v1"));
      boolean mine = client.create("locks/report", "worker-7"); // false if the key exists
      Versioned doc = client.getVersioned("doc").orElseThrow(); // value and version
      boolean saved = client.compareAndSet("doc", doc.version(), Map.of("title", "v2"));
      int n =
          client.transaction(
              tx -> { // serializable, rerun on conflict
                int next = tx.get("counter", Integer.class).orElse(0) + 1;
                tx.put("counter", next);
                return next;
              });
      assertThat(mine).isTrue();
      assertThat(saved).isTrue();
      assertThat(n).isEqualTo(1);
      assertThat(client.create("locks/report", "worker-8")).isFalse();
      assertThat(client.get("doc").orElseThrow().get("title").asText()).isEqualTo("v2");
    }
  }
}
