package io.mps3.testkit.issues;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.S3ProxyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17, the second half of "done when": {@value #PROCESSES} processes open strict clients on
 * one new bucket of S3Proxy (filesystem back end) at the same moment, so that their first-use
 * checks of the bucket's conditional creates race each other; every one must start. Reported
 * before: all three failed with "could not check conditional creates of bucket ...: 9 of 16 racing
 * creates failed", the store's errors under the race taken for a verdict.
 */
class StrictFirstUseRaceIT {

  static final int PROCESSES = 3;

  @Test
  void threeProcessesOpenOneNewStrictBucketAtOnce_allStart(@TempDir Path dir) throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.startFilesystem(dir.resolve("store"))) {
      s3.storeWithBucket("first-use").close();
      List<Process> workers = new ArrayList<>();
      try {
        for (int i = 0; i < PROCESSES; i++) {
          List<String> command = JavaProcess.command(StrictFirstUseWorker.class);
          command.addAll(List.of(s3.endpoint().toString(), "first-use", "p" + i));
          workers.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        List<BufferedReader> outputs = new ArrayList<>();
        for (Process worker : workers) {
          BufferedReader output =
              new BufferedReader(
                  new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
          assertThat(firstLine(output, "waiting")).as("worker up").isEqualTo("waiting");
          outputs.add(output);
        }
        for (Process worker : workers) { // all at once: each waits on this line
          OutputStream go = worker.getOutputStream();
          go.write("go\n".getBytes(StandardCharsets.UTF_8));
          go.flush();
        }
        List<String> results = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
          assertThat(workers.get(i).waitFor(2, TimeUnit.MINUTES))
              .as("worker p%d ended", i)
              .isTrue();
          results.add(
              "p" + i + " (exit " + workers.get(i).exitValue() + "): " + rest(outputs.get(i)));
        }
        System.out.println("StrictFirstUseRaceIT: " + results);
        assertThat(results)
            .as("every process started")
            .allSatisfy(result -> assertThat(result).contains("(exit 0): started p"));
      } finally {
        workers.forEach(Process::destroyForcibly);
      }
      try (ObjectStore store = s3.storeBuilder().build();
          StrictClient reader =
              StrictClient.create(
                  Mps3Config.builder().store(store).bucket("first-use").strictProtocol().build())) {
        for (int i = 0; i < PROCESSES; i++) {
          assertThat(reader.get("started/p" + i)).contains(TextNode.valueOf("p" + i));
        }
      }
    }
  }

  /** The first line that is {@code expected}, skipping others (a JVM may print warnings first). */
  private static String firstLine(BufferedReader output, String expected) throws IOException {
    List<String> skipped = new ArrayList<>();
    String line;
    while ((line = output.readLine()) != null) {
      if (line.equals(expected)) {
        return line;
      }
      skipped.add(line);
    }
    return "(ended before '" + expected + "': " + skipped + ")";
  }

  private static String rest(BufferedReader output) throws IOException {
    return output.lines().collect(Collectors.joining(" | "));
  }
}
