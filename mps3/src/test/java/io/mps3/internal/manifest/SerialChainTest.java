package io.mps3.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class SerialChainTest {

  /** Keeps the tasks it is given and runs them only when told: a scheduler about to shut down. */
  private static final class HeldExecutor implements Executor {
    final List<Runnable> held = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      held.add(task);
    }

    void runAll() {
      List<Runnable> now = List.copyOf(held);
      held.clear();
      now.forEach(Runnable::run);
    }
  }

  private static Mps3Exception closed() {
    return new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", null);
  }

  @Test
  void aStepWhoseStartWasDropped_failsWhenTheChainStops_insteadOfHanging() {
    HeldExecutor executor = new HeldExecutor();
    SerialChain chain = new SerialChain(executor);
    CompletableFuture<String> refresh =
        chain.refresh(() -> CompletableFuture.completedFuture("refreshed"));
    assertThat(executor.held).hasSize(1); // queued, not started

    chain.stop(closed()); // the executor will drop what it holds (shutdownNow)

    assertThat(refresh).isCompletedExceptionally();
    assertThat(Errors.translate(refresh.handle((v, e) -> e).join()).kind())
        .isEqualTo(ErrorKind.CLOSED);
    assertThat(chain.idle()).isTrue();
  }

  @Test
  void aStepQueuedAfterStop_failsAtOnce() {
    HeldExecutor executor = new HeldExecutor();
    SerialChain chain = new SerialChain(executor);
    chain.stop(closed());

    CompletableFuture<String> refresh =
        chain.refresh(() -> CompletableFuture.completedFuture("refreshed"));

    assertThat(refresh).isCompletedExceptionally();
    assertThat(executor.held).isEmpty();
  }

  @Test
  void stepsRunOneAtATime_inTheOrderQueued_andARefreshNotStartedIsShared() {
    HeldExecutor executor = new HeldExecutor();
    SerialChain chain = new SerialChain(executor);
    List<String> ran = new ArrayList<>();
    CompletableFuture<String> first = new CompletableFuture<>();
    chain.queue(
        () -> {
          ran.add("commit");
          return first;
        });
    CompletableFuture<String> a =
        chain.refresh(
            () -> {
              ran.add("refresh");
              return CompletableFuture.completedFuture("state");
            });
    CompletableFuture<String> b = chain.refresh(() -> CompletableFuture.completedFuture("other"));
    assertThat(b).isSameAs(a);

    executor.runAll();
    assertThat(ran).containsExactly("commit"); // the refresh waits for the commit to end
    first.complete("done");
    executor.runAll();

    assertThat(ran).containsExactly("commit", "refresh");
    assertThat(a.join()).isEqualTo("state");
    assertThat(chain.idle()).isTrue();
  }
}
