package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ManualClock;
import io.mps3.testkit.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client keeps working with long histories and with garbage in the bucket. */
class RobustnessTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final ObjectStore store = ObjectStores.inMemory(clock);
  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(Mps3AsyncClient::close);
  }

  private Mps3AsyncClient client() {
    return client(clock);
  }

  private Mps3AsyncClient client(ManualClock own) {
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder()
                .store(store)
                .bucket("robust")
                .clock(own)
                .pollInterval(Duration.ofMillis(20))
                .build());
    clients.add(client);
    return client;
  }

  @Test
  void moreThan1024WritesOfOneSession_neitherHangNorLoseAnything() {
    Mps3AsyncClient writer = client();
    for (int i = 0; i < 1100; i++) {
      clock.advance(Duration.ofMillis(3));
      await(writer.put("k" + (i % 50), i));
    }
    Mps3AsyncClient reader = client();
    assertThat(await(reader.keys(""))).hasSize(50);
    assertThat(await(reader.get("k49"))).contains(IntNode.valueOf(1099));
    assertThat(await(reader.get("k0"))).contains(IntNode.valueOf(1050));
  }

  @Test
  void garbageUnderTheManifestPrefix_isSkipped_andNeverStopsTheReader() {
    Mps3AsyncClient writer = client();
    await(writer.put("k", 1));
    CausalLayout layout = new CausalLayout("manifest.json");
    long now = clock.millis();
    byte[] huge = new byte[17 << 20];
    Arrays.fill(huge, (byte) ' ');
    List<byte[]> bodies =
        List.of(
            bytes("not json"),
            bytes("[1, 2]"),
            bytes("{\"files\": 3}"),
            bytes("{\"update\": \"x\"}"),
            huge);
    for (int i = 0; i < bodies.size(); i++) {
      clock.advance(Duration.ofMillis(10));
      await(
          store.put(
              "robust",
              layout.entryKey(now + 10L * (i + 1), "garbage" + i, 0),
              bodies.get(i),
              PutOptions.unconditional()));
    }
    await(
        store.put("robust", "manifest.json@not-an-entry", bytes("x"), PutOptions.unconditional()));

    Mps3AsyncClient reader = client();
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    Recorder seen = new Recorder();
    try (var ignored = reader.subscribe("k", seen)) {
      seen.awaitCount(1, Duration.ofSeconds(10));
      clock.advance(Duration.ofMillis(100));
      await(writer.put("k", 2));
      seen.await(c -> c.value().equals(Optional.of(IntNode.valueOf(2))), Duration.ofSeconds(10));
    }
    assertThat(await(store.head("robust", "manifest.json@not-an-entry")))
        .as("never deleted")
        .isPresent();
  }

  @Test
  void garbageNewerThanTheReplayWindow_neverHidesTheDataBehindIt() {
    Mps3AsyncClient writer = client();
    await(writer.put("k", 1));
    clock.advance(Duration.ofSeconds(2));
    await(writer.put("j", 2));
    CausalLayout layout = new CausalLayout("manifest.json");
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(4)); // each garbage entry 4 s after the last: 12 s of it
      await(
          store.put(
              "robust",
              layout.entryKey(clock.millis(), "garbage" + i, 0),
              bytes("not json"),
              PutOptions.unconditional()));
    }
    Mps3AsyncClient reader = client();
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    assertThat(await(reader.get("j"))).contains(IntNode.valueOf(2));
  }

  @Test
  void contentDeletedFromUnderTheManifest_readsAsAbsent_andOtherKeysStay() {
    Mps3AsyncClient writer = client();
    await(writer.putAll(java.util.Map.of("lost", 1, "kept", 2)));
    for (ObjectMetadata object : await(store.listAll("robust", "lost@", null))) {
      await(store.delete("robust", object.key()));
    }
    Mps3AsyncClient reader = client();
    assertThat(await(reader.get("lost"))).isEmpty();
    assertThat(await(reader.get("kept"))).contains(IntNode.valueOf(2));
  }

  @Test
  void aWriteAfterAnotherClientsWrite_inTheSameMillisecond_winsWhateverTheSessionIds() {
    // The clock stands still: every write happens "at the same millisecond". Each later write was
    // made after its writer saw the earlier one, so it must win, whichever session id sorts first.
    for (int round = 0; round < 20; round++) {
      Mps3AsyncClient alice = client();
      Mps3AsyncClient bob = client();
      String key = "k" + round;
      await(alice.put(key, "alice"));
      assertThat(await(bob.get(key))).isPresent();
      await(bob.delete(key));
      assertThat(await(alice.get(key))).as("round %d", round).isEmpty();
      assertThat(await(client().get(key))).as("round %d, a new reader", round).isEmpty();
    }
  }

  @Test
  void aReaderWhoseClockIsBehindByMoreThanTheLookahead_stillSeesNewWrites() {
    // Listing starts at the reader's now + 10 s: 30 s behind, it hid every newer entry until the
    // reader wrote (a watcher never does). A listing's Date now sets the offset.
    Mps3AsyncClient writer = client();
    Mps3AsyncClient reader = client(new ManualClock(clock.instant().minusSeconds(30)));
    clock.advance(Duration.ofMillis(10));
    await(writer.put("k", 1));
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
    clock.advance(Duration.ofMillis(10));
    await(writer.put("k", 2));
    await(reader.refresh());
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(2));
  }

  @Test
  void aClientWhoseClockStepsBack_stillSeesNewWrites_andItsOwnWritesStillWin() {
    ManualClock stepping = new ManualClock(clock.instant());
    Mps3AsyncClient writer = client();
    Mps3AsyncClient stepper = client(stepping);
    await(stepper.put("k", 0));
    stepping.advance(Duration.ofSeconds(-30)); // a time daemon corrects the clock
    clock.advance(Duration.ofMillis(10));
    await(writer.put("k", 1));
    await(stepper.refresh());
    assertThat(await(stepper.get("k"))).contains(IntNode.valueOf(1));
    clock.advance(Duration.ofMillis(10));
    await(stepper.put("k", 2)); // after it saw 1: it must win
    assertThat(await(client().get("k"))).contains(IntNode.valueOf(2));
    assertThat(await(writer.get("k"))).contains(IntNode.valueOf(2));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
