package io.mps3.testkit.issues;

import io.mps3.testkit.S3ProxyProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 4 and issue #17's proof: S3Proxy over a directory, in its own process, killed with
 * SIGKILL and started again on the same port and directory 20 times while the writers and
 * subscribers of {@link OutageWorkload} run. Each restart comes as soon as the port is free (the
 * store is then down for as long as a JVM takes to start S3Proxy, a second or two here: calls made
 * meanwhile are refused), and the next kill only once every writer acknowledged a write since the
 * restart and a subscriber saw it in the bucket (for the journal's writer, whose writes are
 * acknowledged once journaled, that shows its journal being sent again after each restart).
 */
// Among the longest ITs: early, so that it runs alongside the others rather than after them.
@Order(2)
class StoreRestartIT {

  /** How many restarts ({@code -Dmps3.test.restarts=N} for fewer, when looking into a failure). */
  static final int RESTARTS = Integer.getInteger("mps3.test.restarts", 20);

  /** The longest a writer may take to show progress after a restart, or to finish. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  /**
   * The longest the first writes may take: the strict writer's first use of its bucket checks the
   * store with 256 racing creates, which took over a minute when the machine ran the whole suite
   * besides.
   */
  static final Duration FIRST_USE = Duration.ofMinutes(3);

  @Test
  void storeKilledAndRestartedTwentyTimes_underWritersAndSubscribers_nothingLostAndAllCarryOn(
      @TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    SoftAssertions softly = new SoftAssertions();
    List<Long> downMillis = new ArrayList<>();
    List<Long> recoveryMillis = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    int restarts = 0;
    try (S3ProxyProcess s3 = S3ProxyProcess.start(dir.resolve("store"))) {
      s3.storeWithBucket("restart-causal").close();
      s3.storeWithBucket("restart-strict").close();
      try (OutageWorkload load =
          new OutageWorkload(
              () -> s3.storeBuilder().build(),
              "restart-causal",
              "restart-strict",
              dir.resolve("journal"))) {
        String firstWrites = load.awaitProgress(Map.of(), FIRST_USE).toString();
        long restartsStarted = System.nanoTime();
        try {
          for (restarts = 0; restarts < RESTARTS; ) {
            long killed = System.nanoTime();
            s3.kill();
            s3.restart();
            long up = System.nanoTime();
            restarts++;
            Map<String, Integer> mark = load.mark();
            progress.add(load.awaitProgress(mark, BOUND).toString());
            downMillis.add((up - killed) / 1_000_000);
            recoveryMillis.add((System.nanoTime() - up) / 1_000_000);
          }
        } catch (AssertionError e) {
          softly.fail("after restart %d of %d: %s", restarts, RESTARTS, e.getMessage());
        }
        load.check(softly, BOUND);
        System.out.printf(
            "StoreRestartIT: first writes (ms to acknowledged/seen) %s; %d restarts in %.1f s (%.1f s in all); down (kill to ready) ms: %s; ready to"
                + " progress of every writer ms: %s%nms to acknowledged/seen per restart: %s%n%s",
            firstWrites,
            restarts,
            (System.nanoTime() - restartsStarted) / 1e9,
            (System.nanoTime() - started) / 1e9,
            summary(downMillis),
            summary(recoveryMillis),
            progress,
            load.report());
      }
    }
    softly.assertAll();
  }

  static String summary(List<Long> millis) {
    if (millis.isEmpty()) {
      return "none";
    }
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return String.format(
        "min %d, median %d, max %d (each: %s)",
        sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), millis);
  }
}
