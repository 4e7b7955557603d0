package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.StrictAsyncClient;
import io.mps3.Versioned;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.ForwardingObjectStore;
import io.mps3.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Regressions found in a review of the strict protocol. */
class StrictReviewRegressionTest {

  private static final String BUCKET = "review";

  private final ObjectStore store = ObjectStores.inMemory();
  private final OpenedStrictClients opened = new OpenedStrictClients(BUCKET);

  @AfterEach
  void close() throws Exception {
    opened.close();
  }

  private StrictAsyncClient client(UnaryOperator<Mps3Config.Builder> options) {
    return opened.client(store, options);
  }

  private StrictAsyncClient client() {
    return client(b -> b);
  }

  @Test
  void compareAndSet_onAStaleState_looksAtTheLogBeforeRefusing() {
    StrictAsyncClient alice = client();
    StrictAsyncClient bob = client();
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
    StrictAsyncClient alice = client();
    StrictAsyncClient bob = client();
    await(alice.put("k", 1));
    assertThat(await(bob.get("k"))).contains(IntNode.valueOf(1));
    await(alice.delete("k"));
    assertThat(await(bob.create("k", 5))).isTrue();
  }

  @Test
  void aWriteWhoseSlotKeyTheStoreRejects_fails_insteadOfHanging() {
    // A valid manifest key whose slot keys are too long (1000 + "/log/" + 20 digits > 1024
    // bytes): the store rejects them at once, synchronously.
    StrictAsyncClient client = client(b -> b.manifest("m".repeat(1000)));
    CompletableFuture<Void> put = client.put("k", 1);
    assertThatThrownBy(() -> put.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
  }

  /** Forwards everything; the answer of a PUT to {@link #held} waits until {@link #release}. */
  private static final class HoldingStore extends ForwardingObjectStore {
    volatile @Nullable String held;
    volatile boolean loseAnswer;
    final CompletableFuture<Void> release = new CompletableFuture<>();
    final CompletableFuture<Void> landed = new CompletableFuture<>();

    HoldingStore(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<PutOutcome> put(
        String bucket, String key, byte[] body, PutOptions options) {
      CompletableFuture<PutOutcome> put = delegate.put(bucket, key, body, options);
      if (!key.equals(held)) {
        return put;
      }
      return put.thenCompose(
          outcome -> {
            landed.complete(null);
            return release.thenApply(
                ignored -> {
                  if (loseAnswer) {
                    throw new ObjectStoreException(
                        ObjectStoreException.Kind.UNAVAILABLE, "answer lost", null);
                  }
                  return outcome;
                });
          });
    }

    @Override
    public void close() {}
  }

  @Test
  void aWrite_whoseSlotARefreshReopenedPast_stillCompletes() {
    reopenedPast(false);
  }

  @Test
  void aWrite_whoseAnswerWasLost_andWhoseSlotARefreshReopenedPast_landsOnce() {
    reopenedPast(true);
    // slot 2 holds the write; nothing wrote it again
    assertThat(await(store.get(BUCKET, "manifest.json/log/" + String.format("%020d", 5))))
        .isInstanceOf(GetResult.NotFound.class);
  }

  private void reopenedPast(boolean loseAnswer) {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    HoldingStore holding = new HoldingStore(store);
    StrictAsyncClient bob =
        client(b -> b.store(holding).clock(clock).checkpointInterval(2).disableAutoclean());
    StrictAsyncClient alice = client(b -> b.checkpointInterval(2).disableAutoclean());
    await(bob.put("warm", 0)); // slot 1
    holding.loseAnswer = loseAnswer;
    holding.held = "manifest.json/log/" + String.format("%020d", 2);
    CompletableFuture<Void> put = bob.put("k", 1); // lands in slot 2, its answer held
    await(holding.landed);
    await(alice.put("a", 1)); // slot 3
    await(alice.put("a", 2)); // slot 4, its checkpoint, the head
    Eventually.eventually(
        Duration.ofSeconds(5),
        () ->
            assertThat(await(store.get(BUCKET, "manifest.json/head")))
                .isInstanceOf(GetResult.Found.class));
    clock.advance(Duration.ofMinutes(3)); // bob has not seen the log's end for half the grace
    await(bob.refresh()); // reads the head and reopens from checkpoint 4, past slot 2
    holding.release.complete(null);
    assertThatCode(() -> put.get(10, TimeUnit.SECONDS)).doesNotThrowAnyException();
    assertThat(await(bob.get("k"))).contains(IntNode.valueOf(1));
  }

  @Test
  void aTransactionWaitingPolitely_whenTheClientCloses_fails_insteadOfHanging() {
    for (int round = 0; round < 5; round++) {
      StrictAsyncClient alice = client();
      StrictAsyncClient bob = client();
      await(bob.get("warm"));
      await(alice.put("warm", round));
      await(bob.put("warm", round)); // bob loses a slot: contended, so transactions wait first
      CompletableFuture<Integer> tx = bob.transaction(t -> 1);
      bob.close();
      assertThatCode(
              () -> {
                try {
                  // It may have run before the close; then it returns what its body did.
                  assertThat(tx.get(5, TimeUnit.SECONDS)).isEqualTo(1);
                } catch (ExecutionException e) {
                  assertThat(e.getCause())
                      .isInstanceOfSatisfying(
                          Mps3Exception.class,
                          cause -> assertThat(cause.kind()).isEqualTo(ErrorKind.CLOSED));
                }
              })
          .doesNotThrowAnyException();
    }
  }
}
