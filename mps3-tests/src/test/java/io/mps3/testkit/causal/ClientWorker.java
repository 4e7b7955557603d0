package io.mps3.testkit.causal;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client in another OS process for {@link CrossProcessClientTest}: writes ten keys, waits for the
 * parent's key, answers it, and exits.
 */
public final class ClientWorker {

  private ClientWorker() {}

  /** Argument: the local directory both processes share. */
  public static void main(String[] args) throws InterruptedException {
    try (Mps3Client client =
        Mps3Client.create(
            Mps3Config.builder()
                .localDirectory(Path.of(args[0]))
                .bucket("shared")
                .pollInterval(Duration.ofMillis(50))
                .build())) {
      for (int i = 0; i < 10; i++) {
        client.put("from-child/" + i, i);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (client.get("from-parent").isEmpty()) {
        if (System.nanoTime() > deadline) {
          System.exit(3);
        }
        Thread.sleep(20);
      }
      client.put("answer", client.get("from-parent").orElseThrow().asText() + " back");
    }
  }
}
