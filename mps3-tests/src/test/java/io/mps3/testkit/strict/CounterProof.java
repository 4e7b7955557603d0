package io.mps3.testkit.strict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.Transaction;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The proof of issue #5: 8 clients in threads of this JVM and 2 clients in other OS processes each
 * increment one counter {@value #EACH} times through {@code transaction}; the final value must be
 * exact.
 */
final class CounterProof {

  static final int THREADS = 8;
  static final int PROCESSES = 2;
  static final int EACH = 200;

  private CounterProof() {}

  /** The transaction body: reads the counter and writes it plus one. */
  static Integer increment(Transaction tx) {
    int n = tx.get("counter", Integer.class).orElse(0);
    tx.put("counter", n + 1);
    return n + 1;
  }

  /**
   * Runs the proof on a store and returns the seconds it took.
   *
   * @param childStore the worker's store arguments ({@code local <dir>} or {@code s3 -})
   * @param childEnv environment of the workers (S3 endpoint and credentials)
   */
  static double run(
      ObjectStore store,
      String bucket,
      String manifest,
      List<String> childStore,
      Map<String, String> childEnv)
      throws Exception {
    long started = System.nanoTime();
    // Per run, not static: the S3Proxy and Ceph proofs run at once in one JVM.
    java.util.concurrent.atomic.AtomicLong bodyRuns = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong most = new java.util.concurrent.atomic.AtomicLong();
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      List<String> command = JavaProcess.command(CounterWorker.class);
      command.addAll(childStore);
      command.addAll(List.of(bucket, manifest, Integer.toString(EACH)));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(childEnv);
      children.add(builder.start());
    }
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        done.add(
            threads.submit(
                () -> {
                  try (StrictClient client = client(store, bucket, manifest)) {
                    for (int i = 0; i < EACH; i++) {
                      java.util.concurrent.atomic.AtomicInteger runs =
                          new java.util.concurrent.atomic.AtomicInteger();
                      client.transaction(
                          tx -> {
                            runs.incrementAndGet();
                            return increment(tx);
                          });
                      bodyRuns.addAndGet(runs.get());
                      most.accumulateAndGet(runs.get(), Math::max);
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
      for (Process child : children) {
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("worker finished").isTrue();
        String output = output(child);
        assertThat(child.exitValue()).as("worker exit; output:%n%s", output).isZero();
        assertThat(output).contains("incremented " + EACH);
        System.out.print("worker: " + output);
      }
    } finally {
      threads.shutdownNow();
      children.forEach(Process::destroyForcibly);
    }
    try (StrictClient reader = client(store, bucket, manifest)) {
      assertThat(reader.get("counter")).contains(IntNode.valueOf((THREADS + PROCESSES) * EACH));
    }
    System.out.println(
        "body runs in this JVM: " + bodyRuns.get() + ", most for one: " + most.get());
    return (System.nanoTime() - started) / 1e9;
  }

  private static StrictClient client(ObjectStore store, String bucket, String manifest) {
    return StrictClient.create(
        Mps3Config.builder()
            .store(store)
            .bucket(bucket)
            .manifest(manifest)
            .strictProtocol()
            .transactionAttempts(100000)
            .build());
  }

  private static String output(Process child) {
    try {
      return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
