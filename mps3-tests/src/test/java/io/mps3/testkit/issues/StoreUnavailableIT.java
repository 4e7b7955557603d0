package io.mps3.testkit.issues;

import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.S3ProxyServer;
import io.mps3.testkit.UnavailableRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 4, second half: the store answers every request with {@code 503} and {@code
 * Retry-After: 1} for {@value #WINDOW_SECONDS} s (an {@link UnavailableRelay} in front of S3Proxy
 * over a directory) while the writers and subscribers of {@link OutageWorkload} run; then the same
 * checks as {@link StoreRestartIT}.
 */
class StoreUnavailableIT {

  static final int WINDOW_SECONDS = 10;

  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void storeAnswers503ForTenSeconds_underWritersAndSubscribers_nothingLostAndAllCarryOn(
      @TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    SoftAssertions softly = new SoftAssertions();
    try (S3ProxyServer s3 = S3ProxyServer.startFilesystem(dir.resolve("store"));
        UnavailableRelay relay = UnavailableRelay.start(s3.endpoint())) {
      s3.storeWithBucket("unavailable-causal").close();
      s3.storeWithBucket("unavailable-strict").close();
      try (OutageWorkload load =
          new OutageWorkload(
              () ->
                  S3ObjectStore.builder()
                      .endpoint(relay.endpoint())
                      .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
                      .build(),
              "unavailable-causal",
              "unavailable-strict",
              dir.resolve("journal"))) {
        String firstWrites = load.awaitProgress(Map.of(), StoreRestartIT.FIRST_USE).toString();
        relay.unavailableFor(Duration.ofSeconds(WINDOW_SECONDS));
        long windowStart = System.nanoTime();
        Eventually.eventually(
            Duration.ofSeconds(WINDOW_SECONDS + 5),
            () -> {
              if (relay.isUnavailable()) {
                throw new AssertionError("the window of 503 answers is still open");
              }
            });
        int refused = relay.refusedRequests();
        long windowEnd = System.nanoTime();
        try {
          load.awaitProgress(load.mark(), BOUND);
        } catch (AssertionError e) {
          softly.fail("after the window of 503 answers: %s", e.getMessage());
        }
        long recovered = System.nanoTime();
        softly.assertThat(refused).as("requests answered 503 in the window").isPositive();
        load.check(softly, BOUND);
        System.out.printf(
            "StoreUnavailableIT: first writes (ms to acknowledged/seen) %s; %.1f s in all; %d requests answered 503 in a window of %.1f s;"
                + " progress of every writer %d ms after it%n%s",
            firstWrites,
            (System.nanoTime() - started) / 1e9,
            refused,
            (windowEnd - windowStart) / 1e9,
            (recovered - windowEnd) / 1_000_000,
            load.report());
      }
    }
    softly.assertAll();
  }
}
