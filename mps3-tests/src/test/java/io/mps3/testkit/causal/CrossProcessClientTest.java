package io.mps3.testkit.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two OS processes share a manifest in a local directory and see each other's writes. */
class CrossProcessClientTest {

  @TempDir Path dir;

  @Test
  void aClientInAnotherProcess_seesOurWrites_andWeSeeItsWrites() throws Exception {
    try (Mps3Client client =
        Mps3Client.create(
            Mps3Config.builder()
                .localDirectory(dir)
                .bucket("shared")
                .pollInterval(Duration.ofMillis(50))
                .build())) {
      Recorder seen = new Recorder();
      try (Subscription ignored = client.subscribePrefix("", ReadOptions.defaults(), seen)) {
        List<String> command = JavaProcess.command(ClientWorker.class);
        command.add(dir.toString());
        Process child =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
          seen.await(c -> c.key().equals("from-child/9"), Duration.ofSeconds(60));
          client.put("from-parent", "ping");
          seen.await(
              c ->
                  c.key().equals("answer")
                      && c.value().equals(Optional.of(TextNode.valueOf("ping back"))),
              Duration.ofSeconds(60));
          assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
          assertThat(child.exitValue()).isZero();
        } finally {
          child.destroyForcibly();
        }
        assertThat(client.keys("from-child/")).hasSize(10);
      }
    }
  }
}
