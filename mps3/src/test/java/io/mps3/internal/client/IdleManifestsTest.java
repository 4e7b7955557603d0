package io.mps3.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import io.mps3.internal.manifest.OpenManifests;
import io.mps3.store.ObjectStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A client forgets the manifests it no longer uses, and opens them again when named. */
class IdleManifestsTest {

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-07T12:00:00Z").toEpochMilli());

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void manifestsUnusedForTheIdleTime_areReleased_butNotThoseSubscribedTo(Protocol protocol) {
    MovableClock clock = new MovableClock();
    try (Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder()
                .store(ObjectStores.inMemory(clock))
                .protocol(protocol)
                .clock(clock)
                .build())) {
      DefaultMps3Client core = (DefaultMps3Client) client;
      for (int i = 0; i < 50; i++) {
        client.put("k", i, WriteOptions.manifests("room" + i)).join();
      }
      Subscription watched = client.subscribe("k", ReadOptions.manifest("room7"), change -> {});
      assertThat(core.openManifests()).isEqualTo(50);
      assertThat(core.releaseIdleManifests()).as("all used just now").isZero();

      clock.millis.addAndGet(OpenManifests.IDLE.plus(Duration.ofSeconds(1)).toMillis());
      assertThat(core.releaseIdleManifests()).isEqualTo(49);
      assertThat(core.openManifests()).isEqualTo(1);

      // A released manifest opens again, from the bucket, when a call names it.
      assertThat(client.get("k", ReadOptions.manifest("room3")).join())
          .contains(IntNode.valueOf(3));
      assertThat(core.openManifests()).isEqualTo(2);
      watched.close();
    }
  }
}
