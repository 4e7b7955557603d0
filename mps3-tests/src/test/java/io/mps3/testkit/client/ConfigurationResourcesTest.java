package io.mps3.testkit.client;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A configuration holds settings only: each client opens and closes what it uses. */
class ConfigurationResourcesTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void twoClientsOfOneLocalDirectoryConfiguration_closingTheFirst_leavesTheSecondWorking(
      Protocol protocol) {
    Mps3Config config =
        Mps3Config.builder().localDirectory(dir.resolve("data")).protocol(protocol).build();
    Mps3AsyncClient first = Mps3AsyncClient.create(config);
    try (Mps3AsyncClient second = Mps3AsyncClient.create(config)) {
      await(first.put("k", 1));
      first.close();
      await(second.put("k", 2));
      assertThat(await(second.get("k"))).contains(IntNode.valueOf(2));
      try (Mps3AsyncClient third = Mps3AsyncClient.create(config)) { // after a close, too
        assertThat(await(third.get("k"))).contains(IntNode.valueOf(2));
      }
    } finally {
      first.close();
    }
  }

  @Test
  void buildingAConfiguration_opensNothing() {
    Path data = dir.resolve("not-yet");
    Mps3Config config = Mps3Config.builder().localDirectory(data).journal(dir.resolve("j")).build();
    assertThat(config.localDirectory()).contains(data);
    assertThat(Files.exists(data)).isFalse();
    assertThat(Files.exists(dir.resolve("j"))).isFalse();
  }

  @Test
  void settingsAProtocolWouldIgnore_areRefused_namingThem() {
    assertThatThrownBy(
            () ->
                Mps3Config.builder()
                    .localDirectory(dir)
                    .checkpointInterval(10)
                    .transactionAttempts(3)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "checkpointInterval(), transactionAttempts() have no effect with the causal protocol:"
                + " remove them or choose the other protocol");
    assertThatThrownBy(
            () ->
                Mps3Config.builder()
                    .localDirectory(dir)
                    .strictProtocol()
                    .clockOffset(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clockOffset() has no effect with the strict protocol");
    assertThatThrownBy(
            () -> Mps3Config.builder().localDirectory(dir).journal(dir).strictProtocol().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("journal() has no effect with the strict protocol");
  }
}
