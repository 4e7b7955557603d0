package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Versioned;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Regressions found in a review of the strict protocol. */
class StrictReviewRegressionTest {

  private static final String BUCKET = "review";

  private final ObjectStore store = ObjectStores.inMemory();
  private final List<Mps3AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(Mps3AsyncClient::close);
  }

  private Mps3AsyncClient client(UnaryOperator<Mps3Config.Builder> options) {
    Mps3AsyncClient client =
        Mps3AsyncClient.create(
            options
                .apply(Mps3Config.builder().store(store).bucket(BUCKET).strictProtocol())
                .build());
    clients.add(client);
    return client;
  }

  private Mps3AsyncClient client() {
    return client(b -> b);
  }

  @Test
  void compareAndSet_onAStaleState_looksAtTheLogBeforeRefusing() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    await(alice.put("k", 1));
    assertThat(await(bob.get("k"))).contains(IntNode.valueOf(1)); // bob's state: slot 1
    await(alice.put("k", 2));
    Versioned seen = await(alice.getVersioned("k")).orElseThrow();
    // The compare-and-set starts after alice's put completed: it must see version 2 and win.
    assertThat(await(bob.compareAndSet("k", seen.version(), 3))).isTrue();
    assertThat(await(alice.get("k"))).contains(IntNode.valueOf(3));
  }

  @Test
  void create_ofAKeyDeletedByAnotherClient_looksAtTheLogBeforeRefusing() {
    Mps3AsyncClient alice = client();
    Mps3AsyncClient bob = client();
    await(alice.put("k", 1));
    assertThat(await(bob.get("k"))).contains(IntNode.valueOf(1));
    await(alice.delete("k"));
    assertThat(await(bob.create("k", 5))).isTrue();
  }

  @Test
  void aWriteWhoseSlotKeyTheStoreRejects_fails_insteadOfHanging() {
    // A valid manifest key whose slot keys are too long (1000 + "/log/" + 20 digits > 1024
    // bytes): the store rejects them at once, synchronously.
    Mps3AsyncClient client = client(b -> b.manifest("m".repeat(1000)));
    CompletableFuture<Void> put = client.put("k", 1);
    assertThatThrownBy(() -> put.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
  }
}
