package io.mps3.testkit.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash and restart with real OS processes: a {@link JournalWorker} writes sequenced values,
 * acknowledged locally, and is killed ({@link Process#destroyForcibly()}, SIGKILL) at a chosen
 * point of a write's life, or at a random moment under load. A second worker opens the same
 * journal: while the store still refuses writes, its reads must see every acknowledged write; then
 * every acknowledged write must be in the bucket exactly once, in the order it was made, and the
 * journal must be empty.
 */
// Each case has its own directory, journal and bucket, and spends most of its time waiting for
// its worker processes: the cases run at once.
@Execution(ExecutionMode.CONCURRENT)
abstract class JournalCrashCases {

  private static final int WRITES = 40;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  /** The store argument of the workers: a directory, or an S3 endpoint. */
  abstract String storeArgument();

  /** The bucket of this test case, created. */
  abstract String bucket();

  /** The store, opened by the test to check the log; closed by the caller. */
  abstract ObjectStore openStore();

  @ParameterizedTest
  @ValueSource(strings = {"journaled:5", "content-stored:2", "entry-recorded:2", "entry-written:2"})
  void killedAtAPoint_everyAcknowledgedWriteLandsOnceInOrder_andIsReadMeanwhile(String point)
      throws Exception {
    Run run = write(0, WRITES, point, -1);
    assertThat(run.lines)
        .as("the worker reached %s", point)
        .anyMatch(l -> l.startsWith("mps3-crash-point"));
    assertThat(run.acked).as("writes acknowledged before the kill").isNotEmpty();
    recoverAndCheck(run.acked, WRITES);
  }

  @Test
  void killedAtRandomUnderLoad_threeTimesOnOneJournal_everyAcknowledgedWriteLandsOnceInOrder()
      throws Exception {
    long seed = Long.getLong("mps3.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    TreeSet<Integer> acked = new TreeSet<>();
    int next = 0;
    for (int round = 0; round < 3; round++) {
      int delay = 50 + random.nextInt(400);
      // Far more writes than fit before the kill. Which were written is read from the journal
      // and the bucket: the test may not see the last "acked" lines (measured: 6 of 18 missing
      // once, on a loaded machine), and every journaled write lands, acknowledged or not.
      Run run = write(next, 5000, null, delay);
      assertThat(run.acked).as("writes acknowledged before the kill").isNotEmpty();
      acked.addAll(run.acked);
      int journaled = highestJournaledWrite();
      int landed;
      try (ObjectStore store = openStore()) {
        landed = EntryHistory.read(store, bucket(), "manifest.json").highestWrite();
      }
      next = Math.max(acked.last(), Math.max(journaled, landed)) + 1;
      System.out.println(
          "crash round "
              + round
              + " (seed "
              + seed
              + "): killed "
              + delay
              + " ms after the first acknowledgement, "
              + run.acked.size()
              + " acknowledged, the last w/"
              + run.acked.stream().mapToInt(i -> i).max().orElse(-1)
              + "; the journal's last w/"
              + journaled
              + ", the bucket's last w/"
              + landed);
      recoverAndCheck(acked, next);
    }
  }

  /** The highest {@code i} of a write {@code w/<i>} in the journal's files, or -1. */
  private int highestJournaledWrite() throws IOException {
    int highest = -1;
    try (Stream<Path> files = Files.list(journalDir())) {
      for (Path file : files.filter(p -> p.getFileName().toString().startsWith("w-")).toList()) {
        for (JsonNode write : MAPPER.readTree(file.toFile()).path("writes")) {
          String key = write.path("key").asText("");
          if (key.startsWith("w/")) {
            highest = Math.max(highest, Integer.parseInt(key.substring(2)));
          }
        }
      }
    }
    return highest;
  }

  /** What a killed writer said before it died. */
  private record Run(List<String> lines, Set<Integer> acked) {}

  /**
   * Runs a writer until it reaches {@code point} (then kills it), or kills it {@code killAfterMs}
   * after its first acknowledgement.
   */
  private Run write(int from, int count, @Nullable String point, int killAfterMs) throws Exception {
    List<String> command =
        point != null
            ? JavaProcess.command(JournalWorker.class, "-Dmps3.test.crashAt=" + point)
            : JavaProcess.command(JournalWorker.class);
    command.addAll(
        List.of(
            "write", storeArgument(), bucket(), journalDir().toString(), "" + from, "" + count));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Object marker = new Object();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                  synchronized (marker) {
                    marker.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process died: its output ends here
              }
            });
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String awaited = point != null ? "mps3-crash-point" : "acked";
      synchronized (marker) {
        while (lines.stream().noneMatch(l -> l.startsWith(awaited))) {
          assertThat(System.nanoTime()).as("worker output %s", lines).isLessThan(deadline);
          assertThat(process.isAlive() || !lines.isEmpty())
              .as("the worker died early (exit %s)", process.isAlive() ? "-" : process.exitValue())
              .isTrue();
          marker.wait(100);
        }
      }
      if (killAfterMs > 0) {
        Thread.sleep(killAfterMs);
      }
      assertThat(process.isAlive()).as("the worker is still running when killed").isTrue();
    } finally {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }
    Set<Integer> acked = new TreeSet<>();
    for (String line : lines) {
      if (line.startsWith("acked ")) {
        acked.add(Integer.parseInt(line.substring(6)));
      }
    }
    return new Run(List.copyOf(lines), acked);
  }

  private void recoverAndCheck(Set<Integer> acked, int upTo) throws Exception {
    List<String> command = JavaProcess.command(JournalWorker.class);
    command.addAll(
        List.of("recover", storeArgument(), bucket(), journalDir().toString(), "" + upTo));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("recovery finished").isTrue();
    } finally {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as("recovery exit code; output:%n%s", output).isZero();
    assertThat(output).contains("landed");
    Map<Integer, String> seen = new HashMap<>();
    for (String line : output.lines().toList()) {
      if (line.startsWith("seen ")) {
        String[] parts = line.split(" ", -1);
        seen.put(Integer.parseInt(parts[1]), parts[2]);
      }
    }
    for (int i : acked) {
      assertThat(seen.get(i))
          .as("w/%d read by the restarted client before it could write", i)
          .isEqualTo(Integer.toString(i));
    }
    try (ObjectStore store = openStore()) {
      EntryHistory.read(store, bucket(), "manifest.json").assertExactlyOnceInOrder(acked, upTo);
    }
    try (Stream<Path> files = Files.list(journalDir())) {
      assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
          .as("journal after recovery")
          .containsExactly("lock");
    }
  }

  private Path journalDir() {
    return dir.resolve("journal");
  }
}
