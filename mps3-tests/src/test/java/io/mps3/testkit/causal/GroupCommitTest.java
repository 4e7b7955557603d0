package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Writes queued behind a commit in flight share its successor's entry, in order. */
class GroupCommitTest {

  @Test
  void putsFiredBackToBack_shareEntries_andKeepTheirOrder() {
    // Every store call takes 2 to 5 ms, so writes queue up while an entry is being written.
    CountingObjectStore store =
        CountingObjectStore.wrap(
            FaultInjectingObjectStore.wrap(
                ObjectStores.inMemory(), new Plan(0, 0, 1, Duration.ofMillis(5)), 1));
    try (Mps3AsyncClient writer =
        Mps3AsyncClient.create(Mps3Config.builder().store(store).bucket("group").build())) {
      await(writer.put("warm", 0));
      store.reset();
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 1; i <= 50; i++) {
        puts.add(writer.put("k" + (i % 5), i));
      }
      puts.forEach(f -> await(f));
      long entriesAndMarkers = store.count(CountingObjectStore.Call.PUT) - 50;
      assertThat(entriesAndMarkers).as("entry + marker PUTs for 50 puts").isLessThanOrEqualTo(20);
      try (Mps3AsyncClient reader =
          Mps3AsyncClient.create(Mps3Config.builder().store(store).bucket("group").build())) {
        for (int k = 0; k < 5; k++) {
          assertThat(await(reader.get("k" + k))).contains(IntNode.valueOf(k == 0 ? 50 : 45 + k));
        }
      }
    }
  }
}
