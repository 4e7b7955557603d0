package io.mps3.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.GetResult;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FaultInjectingObjectStoreTest {

  private static final Plan NO_FAULTS = new Plan(0, 0, 0, Duration.ZERO);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ObjectStore shared = ObjectStores.inMemory(clock);

  @Test
  void partition_failsEveryCallBeforeTheStore_untilHealed() {
    FaultInjectingObjectStore cut = FaultInjectingObjectStore.wrap(shared, NO_FAULTS, 1);
    FaultInjectingObjectStore other = FaultInjectingObjectStore.wrap(shared, NO_FAULTS, 2);
    cut.partition();

    assertThat(cut.partitioned()).isTrue();
    assertThatThrownBy(() -> put(cut, "a"))
        .hasCauseInstanceOf(ObjectStoreException.class)
        .cause()
        .hasMessageContaining("connection refused")
        .hasMessageContaining("PUT a")
        .extracting(e -> ((ObjectStoreException) e).kind())
        .isEqualTo(ObjectStoreException.Kind.UNAVAILABLE);
    assertThatThrownBy(() -> cut.get("bkt", "a").join())
        .hasCauseInstanceOf(ObjectStoreException.class);
    assertThatThrownBy(() -> cut.list("bkt", ListRequest.prefix("")).join())
        .hasCauseInstanceOf(ObjectStoreException.class);
    assertThat(shared.get("bkt", "a").join())
        .as("nothing reached the store")
        .isInstanceOf(GetResult.NotFound.class);

    put(other, "a"); // the other client is not cut off
    assertThat(cut.injected()).containsEntry(Fault.PARTITION, 3L);

    cut.heal();
    assertThat(cut.get("bkt", "a").join()).isInstanceOf(GetResult.Found.class);
    assertThat(cut.injected()).containsEntry(Fault.PARTITION, 3L);
  }

  @Test
  void partition_holdsEvenWithSeededFaultsOff() {
    FaultInjectingObjectStore cut = FaultInjectingObjectStore.wrap(shared, NO_FAULTS, 1);
    cut.enable(false);
    cut.partition();
    assertThatThrownBy(() -> put(cut, "a")).isInstanceOf(CompletionException.class);
  }

  @Test
  void delayedListing_omitsObjectsWrittenWithinTheDelay_thenShowsThem() {
    Plan stale = NO_FAULTS.withDelayedListing(1, Duration.ofMillis(500));
    FaultInjectingObjectStore store = FaultInjectingObjectStore.wrap(shared, stale, 1);
    put(store, "old");
    clock.advance(Duration.ofMillis(600));
    put(store, "new");
    clock.advance(Duration.ofMillis(100));

    assertThat(keys(store)).containsExactly("old");
    assertThat(keys(shared)).containsExactly("new", "old");
    assertThat(store.get("bkt", "new").join())
        .as("reads are not delayed")
        .isInstanceOf(GetResult.Found.class);
    assertThat(store.injected()).containsEntry(Fault.DELAYED_LISTING, 1L);

    clock.advance(Duration.ofMillis(400));
    assertThat(keys(store)).containsExactly("new", "old");
    assertThat(store.injected())
        .as("a listing that hid nothing is no fault")
        .containsEntry(Fault.DELAYED_LISTING, 1L);
  }

  @Test
  void delayedListing_isSeededAndStopsWithTheFaults() {
    Plan sometimes = NO_FAULTS.withDelayedListing(0.5, Duration.ofHours(1));
    FaultInjectingObjectStore a = FaultInjectingObjectStore.wrap(shared, sometimes, 7);
    FaultInjectingObjectStore b = FaultInjectingObjectStore.wrap(shared, sometimes, 7);
    put(shared, "x");
    StringBuilder seenByA = new StringBuilder();
    StringBuilder seenByB = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      seenByA.append(keys(a).size());
      seenByB.append(keys(b).size());
    }
    assertThat(seenByA.toString()).isEqualTo(seenByB.toString()).contains("0").contains("1");

    a.enable(false);
    for (int i = 0; i < 10; i++) {
      assertThat(keys(a)).containsExactly("x");
    }
  }

  @Test
  void planWithoutDelayedListing_rollsAsBefore() {
    Plan old = new Plan(0.3, 0, 0, Duration.ZERO);
    assertThat(old.delayedListing()).isZero();
    FaultInjectingObjectStore withLists = FaultInjectingObjectStore.wrap(shared, old, 3);
    FaultInjectingObjectStore withoutLists = FaultInjectingObjectStore.wrap(shared, old, 3);
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      a.append(failed(() -> withLists.list("bkt", ListRequest.prefix("")).join()) ? 'F' : '.');
      b.append(failed(() -> withoutLists.get("bkt", "k").join()) ? 'F' : '.');
    }
    assertThat(a.toString()).as("a LIST takes one decision, as a GET does").isEqualTo(b.toString());
  }

  private static boolean failed(Runnable call) {
    try {
      call.run();
      return false;
    } catch (CompletionException e) {
      return true;
    }
  }

  private static void put(ObjectStore store, String key) {
    store.put("bkt", key, "1".getBytes(UTF_8), PutOptions.unconditional()).join();
  }

  private static List<String> keys(ObjectStore store) {
    return store.listAll("bkt", "", null).join().stream().map(ObjectMetadata::key).toList();
  }
}
