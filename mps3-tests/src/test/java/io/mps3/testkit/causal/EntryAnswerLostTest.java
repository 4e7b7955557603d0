package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A causal log entry whose PUT failed as unavailable may have landed: the writer reads it back
 * instead of failing the put, and counts it when it landed inside its window, or writes the same
 * change again under a new key when it did not (design 0015). Before, the put failed, and the S3
 * store's retries could rewrite a landed entry seconds later, out of the window readers accept.
 */
class EntryAnswerLostTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final ObjectStore store = ObjectStores.inMemory(clock);
  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(Mps3AsyncClient::close);
  }

  private Mps3AsyncClient client(ObjectStore s) {
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder()
                .store(s)
                .bucket("lost")
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .build());
    clients.add(client);
    return client;
  }

  private static Predicate<String> firstEntry() {
    AtomicBoolean struck = new AtomicBoolean();
    return k -> k.startsWith("manifest.json@") && struck.compareAndSet(false, true);
  }

  private int entries() {
    return await(store.listAll("lost", "manifest.json@", null)).size();
  }

  @Test
  void anEntryThatLandedWithItsAnswerLost_isReadBack_andCountsOnce() {
    ClientFailureModesTest.Hooked hooked = new ClientFailureModesTest.Hooked(store);
    Mps3AsyncClient writer = client(hooked);
    await(writer.put("a", 0));
    int before = entries();
    hooked.loseAnswer = firstEntry();
    clock.advance(Duration.ofMillis(100));
    await(writer.put("a", 1));
    assertThat(entries()).as("the landed entry, not a second copy").isEqualTo(before + 1);
    assertThat(await(client(store).get("a"))).contains(IntNode.valueOf(1));
  }

  @Test
  void anEntryThatDidNotLand_isWrittenAgainUnderANewKey() {
    ClientFailureModesTest.Hooked hooked = new ClientFailureModesTest.Hooked(store);
    Mps3AsyncClient writer = client(hooked);
    await(writer.put("a", 0));
    int before = entries();
    hooked.failPut = firstEntry();
    clock.advance(Duration.ofMillis(100));
    await(writer.put("a", 1));
    assertThat(entries()).isEqualTo(before + 1);
    assertThat(await(client(store).get("a"))).contains(IntNode.valueOf(1));
  }
}
