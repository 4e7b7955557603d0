package io.mps3.testkit.strict;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import io.mps3.testkit.causal.CampaignSeeds;
import io.mps3.testkit.history.CheckResult;
import io.mps3.testkit.history.LinearizabilityChecker;
import io.mps3.testkit.history.Operation;
import io.mps3.testkit.history.RegisterModel;
import io.mps3.testkit.history.Workload;
import io.mps3.testkit.history.WorkloadRun;
import io.mps3.testkit.history.WorkloadRunner;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded campaign of the strict protocol judged for linearizability: four clients share three
 * keys through their own fault-injecting wrappers of one in-memory store (calls fail before and
 * after the store, answers are lost, calls are delayed, listings lag, one client is partitioned),
 * doing get, put, delete, putAll, compare-and-set (as a transaction), subscriptions, and gets by a
 * new client, which read cold from a checkpoint every 4 entries (design 0022). Every history must
 * be linearizable per key, which also rules out lost acknowledged writes and writes applied twice.
 * {@code -Dmps3.campaign.seeds=N} runs seeds 1..N; {@code -Dmps3.campaign.seed=S} replays one.
 */
// Each seed has its own store and clients and mostly waits (a partitioned writer's retries): the
// seeds run at once.
@Order(2)
@Execution(ExecutionMode.CONCURRENT)
class StrictHistoryCampaignTest {

  private static final LinearizabilityChecker<RegisterModel.Register> CHECKER =
      LinearizabilityChecker.of(RegisterModel.create());

  private static final Workload STRICT = Workload.campaign().withProtocol(Protocol.STRICT);

  private static final Totals TOTALS = new Totals();

  static List<Long> seeds() {
    return CampaignSeeds.seeds(3); // 5 to 10 s each: a partitioned writer waits out its retries
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void underFaultsLaggingListingsAndAPartition_historyIsLinearizable(long seed) {
    ObjectStore store = ObjectStores.inMemory();
    WorkloadRun run = WorkloadRunner.run(store, "history", STRICT, seed);
    CheckResult result = CHECKER.check(run.history());
    TOTALS.add(run, result);
    String replay =
        "seed "
            + seed
            + " (replay: mvn -pl mps3-testkit test -Dtest=StrictHistoryCampaignTest"
            + " -Dmps3.campaign.seed="
            + seed
            + "); "
            + run.summary();
    System.out.println("strict history campaign " + run.summary() + ": " + result);
    if (!result.valid()) {
      System.out.println("history of " + replay + ":\n" + run.history());
    }
    assertThat(run.timeouts()).as("%s: calls that hung", replay).isZero();
    assertThat(run.settled()).as("%s: clients agree at the end", replay).isTrue();
    assertThat(run.faults().get(Fault.PARTITION)).as(replay).isPositive();
    result.assertValid(replay);
  }

  @AfterAll
  static void printTotals() {
    System.out.println("strict history campaign totals: " + TOTALS);
  }

  /** Sums over the seeds run, for docs/RELIABILITY.md. */
  private static final class Totals {
    private int runs;
    private long operations;
    private long acknowledged;
    private long unknown;
    private int failedRuns;
    private final Map<Fault, Long> faults = new EnumMap<>(Fault.class);

    synchronized void add(WorkloadRun run, CheckResult result) {
      runs++;
      operations += result.operations();
      for (Operation op : run.history().operations()) {
        acknowledged += op.acknowledged() && op.call().isWrite() ? 1 : 0;
        unknown += op.outcome() == Operation.Outcome.UNKNOWN ? 1 : 0;
      }
      run.faults().forEach((kind, n) -> faults.merge(kind, n, Long::sum));
      failedRuns += result.valid() ? 0 : 1;
    }

    @Override
    public synchronized String toString() {
      return String.format(
          "%d runs, %d operations checked (%d writes acknowledged, %d unknown), faults %s;"
              + " %d runs not linearizable",
          runs, operations, acknowledged, unknown, faults, failedRuns);
    }
  }
}
