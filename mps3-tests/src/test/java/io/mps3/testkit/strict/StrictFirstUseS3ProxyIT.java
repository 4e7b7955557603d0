package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.spi.GetResult;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.S3ProxyServer;
import java.io.BufferedReader;
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
 * Issue #17, item 3: three processes opening one new bucket at once on S3Proxy (filesystem back
 * end, as in the report) all start, and agree on one verdict recorded in the bucket. They used to
 * fail with "9 of 16 racing creates failed": the store answered errors under the three races at
 * once.
 */
class StrictFirstUseS3ProxyIT {

  private static final String BUCKET = "first-use";
  private static final int PROCESSES = 3;

  @TempDir Path dir;

  @Test
  void threeProcessesOpeningANewBucketAtOnce_allStart_andAgreeOnOneVerdict() throws Exception {
    try (S3ProxyServer server = S3ProxyServer.startFilesystem(dir);
        S3ObjectStore store = server.storeWithBucket(BUCKET)) {
      List<Process> workers = new ArrayList<>();
      List<BufferedReader> outputs = new ArrayList<>();
      try {
        for (int p = 0; p < PROCESSES; p++) {
          List<String> command = JavaProcess.command(FirstUseWorker.class);
          command.addAll(List.of(BUCKET, "worker-" + p));
          ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
          builder.environment().put("AWS_ENDPOINT_URL", server.endpoint().toString());
          builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
          builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
          Process worker = builder.start();
          workers.add(worker);
          outputs.add(
              new BufferedReader(
                  new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader output : outputs) {
          assertThat(output.readLine()).as("worker's first line").isEqualTo("ready");
        }
        for (Process worker : workers) { // go, all at once
          OutputStream input = worker.getOutputStream();
          input.write("go\n".getBytes(StandardCharsets.UTF_8));
          input.flush();
        }
        for (int p = 0; p < PROCESSES; p++) {
          Process worker = workers.get(p);
          assertThat(worker.waitFor(2, TimeUnit.MINUTES)).as("worker %d finished", p).isTrue();
          String rest = String.join("\n", outputs.get(p).lines().toList());
          assertThat(worker.exitValue()).as("worker %d exit; output:%n%s", p, rest).isZero();
          assertThat(rest).as("worker %d", p).contains("started");
        }
      } finally {
        workers.forEach(Process::destroyForcibly);
      }
      GetResult record = await(store.get(BUCKET, ".mps3/strict-check.json"));
      assertThat(record).isInstanceOf(GetResult.Found.class);
      assertThat(
              new ObjectMapper()
                  .readTree(((GetResult.Found) record).object().body())
                  .path("atomicConditionalCreates")
                  .booleanValue())
          .isTrue();
      try (StrictClient reader =
          StrictClient.create(
              Mps3Config.builder().store(store).bucket(BUCKET).strictProtocol().build())) {
        for (int p = 0; p < PROCESSES; p++) {
          assertThat(reader.get("worker-" + p)).contains(TextNode.valueOf("worker-" + p));
        }
      }
    }
  }
}
