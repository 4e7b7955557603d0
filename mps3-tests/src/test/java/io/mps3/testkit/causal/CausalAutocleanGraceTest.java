package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The causal protocol keeps an entry no reader needs for {@code autocleanGrace} past the replay
 * window, as configured (it was 5 minutes whatever the setting).
 */
class CausalAutocleanGraceTest {

  private static final String BUCKET = "grace";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final ObjectStore store = ObjectStores.inMemory(clock);

  @Test
  void anEntryPastTheWindowAndAShortGrace_isDeleted() {
    String first = writeThreeEntriesApart(b -> b.autocleanGrace(Duration.ofSeconds(1)));
    Eventually.eventually(
        Duration.ofSeconds(10), () -> assertThat(entries()).doesNotContain(first));
  }

  @Test
  void theSameEntry_withTheDefaultGrace_isKept() {
    String first = writeThreeEntriesApart(b -> b);
    assertThat(entries()).contains(first);
  }

  /** Writes entries 7 s and 4 s apart; the last write lists them all. The first entry's key. */
  private String writeThreeEntriesApart(UnaryOperator<Mps3Config.Builder> options) {
    try (Mps3AsyncClient client =
        Mps3AsyncClient.create(
            options.apply(Mps3Config.builder().store(store).bucket(BUCKET).clock(clock)).build())) {
      await(client.put("k", 1));
      String first = entries().get(0);
      clock.advance(Duration.ofSeconds(7));
      await(client.put("k", 2)); // past the window of the first: a reader needs only this one
      clock.advance(Duration.ofSeconds(4));
      await(client.put("k", 3)); // its listing sees both, and cleans what the grace allows
      await(client.refresh());
      return first;
    }
  }

  private List<String> entries() {
    return await(store.listAll(BUCKET, "manifest.json@", null)).stream()
        .map(ObjectMetadata::key)
        .sorted()
        .toList();
  }
}
