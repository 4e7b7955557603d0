package io.mps3.testkit.issues;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.S3ProxyProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17, the second half of "done when": {@value #PROCESSES} processes open strict clients on
 * one new bucket of S3Proxy (filesystem back end, in its own process as in the report) at the same
 * moment, so that their first-use checks of the bucket's conditional creates race each other; every
 * one must start. Reported before: all three failed with "could not check conditional creates of
 * bucket ...: 9 of 16 racing creates failed", the store's errors under the race taken for a
 * verdict. {@value #ROUNDS} new buckets in a row, so that a race that fails now and then is likely
 * to show.
 */
class StrictFirstUseRaceIT {

  static final int PROCESSES = 3;
  static final int ROUNDS = 4;

  @Test
  void threeProcessesOpenOneNewStrictBucketAtOnce_allStart(@TempDir Path dir) throws Exception {
    List<String> failed = new ArrayList<>();
    try (S3ProxyProcess s3 = S3ProxyProcess.start(dir.resolve("store"))) {
      List<Process> workers = new ArrayList<>();
      try {
        for (int i = 0; i < PROCESSES; i++) {
          List<String> command = JavaProcess.command(StrictFirstUseWorker.class);
          command.addAll(List.of(s3.endpoint().toString(), "p" + i));
          workers.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        List<BufferedReader> outputs = new ArrayList<>();
        for (Process worker : workers) {
          BufferedReader output =
              new BufferedReader(
                  new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
          assertThat(nextResult(output, "waiting")).as("worker up").isEqualTo("waiting");
          outputs.add(output);
        }
        for (int round = 1; round <= ROUNDS; round++) {
          String bucket = "first-use-" + round;
          s3.storeWithBucket(bucket).close();
          for (Process worker : workers) { // at once: each waits for this line
            OutputStream go = worker.getOutputStream();
            go.write((bucket + "\n").getBytes(StandardCharsets.UTF_8));
            go.flush();
          }
          for (int i = 0; i < PROCESSES; i++) {
            String result = nextResult(outputs.get(i), bucket);
            if (!result.equals("started " + bucket)) {
              failed.add("p" + i + ": " + result);
            }
          }
          checkStarted(s3, bucket);
        }
        for (Process worker : workers) {
          worker.getOutputStream().close();
          assertThat(worker.waitFor(1, TimeUnit.MINUTES)).as("worker ended").isTrue();
        }
      } finally {
        workers.forEach(Process::destroyForcibly);
      }
    }
    System.out.println("StrictFirstUseRaceIT: failed starts: " + failed);
    assertThat(failed)
        .as("starts that failed (%d processes, %d new buckets)", PROCESSES, ROUNDS)
        .isEmpty();
  }

  /** The processes that started wrote their key. */
  private static void checkStarted(S3ProxyProcess s3, String bucket) {
    try (ObjectStore store = s3.storeBuilder().build();
        StrictClient reader =
            StrictClient.create(
                Mps3Config.builder().store(store).bucket(bucket).strictProtocol().build())) {
      for (int i = 0; i < PROCESSES; i++) {
        reader
            .get("started/p" + i)
            .ifPresent(value -> assertThat(value).isInstanceOf(TextNode.class));
      }
    }
  }

  /**
   * The next line that is {@code waiting} or names {@code bucket}, skipping others (a JVM may print
   * warnings); a line saying that the output ended early.
   */
  private static String nextResult(BufferedReader output, String bucket) throws IOException {
    List<String> skipped = new ArrayList<>();
    String line;
    while ((line = output.readLine()) != null) {
      if (line.equals("waiting")
          || line.startsWith("started " + bucket)
          || line.startsWith("failed " + bucket)) {
        return line;
      }
      skipped.add(line);
    }
    return "(output ended before a result for " + bucket + "; it said: " + skipped + ")";
  }
}
