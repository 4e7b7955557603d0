package io.mps3.testkit.causal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.store.ObjectStores;
import io.mps3.testkit.FaultInjectingObjectStore;
import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import io.mps3.testkit.history.CausalChecker;
import io.mps3.testkit.history.CheckResult;
import io.mps3.testkit.history.Operation;
import io.mps3.testkit.history.Workload;
import io.mps3.testkit.history.WorkloadRun;
import io.mps3.testkit.history.WorkloadRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded campaign judged on the whole recorded history: four clients share three keys through
 * their own fault-injecting wrappers of one in-memory store (calls fail before and after the store
 * and are delayed), one client is partitioned for a quarter of its operations, and {@link
 * CausalChecker} (with the clocks known to agree, 5 ms margin) checks every get and notification
 * and the converged state. {@code -Dmps3.campaign.seeds=N} runs seeds 1..N; {@code
 * -Dmps3.campaign.seed=S} replays one.
 *
 * <p>With lagging listings added, the client used to go back (see {@link LaggingListingTest}); that
 * campaign now runs too. Two more give each client a wrong clock (the store's stays right) and step
 * one client's clock back halfway by as much: up to 3 s, inside the 5 s window, where no client
 * corrects its clock; and up to 30 s, where the adaptive clock learns the offset from the store's
 * {@code Date}. Those are judged by the rules that need no clock ({@link CausalChecker#create}):
 * with wrong clocks, last-writer-wins by entry time need not follow real time. The 30 s step found
 * that a client whose clock fell behind by more than the 10 s lookahead stopped seeing new entries
 * until it wrote (see {@code RobustnessTest}).
 */
class CausalHistoryCampaignTest {

  private static final CausalChecker CHECKER =
      CausalChecker.withSynchronizedClocks(Duration.ofMillis(5));

  private static final CausalChecker CLOCKLESS = CausalChecker.create();

  /** Every fault of the campaign but lagging listings. */
  private static final Workload STEADY_LISTINGS =
      Workload.campaign().withPlan(Workload.campaign().plan().withDelayedListing(0, Duration.ZERO));

  private static final Map<String, Totals> TOTALS = new TreeMap<>();

  static List<Long> seeds() {
    return CampaignSeeds.seeds(6);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void underFaultsAndAPartition_historyIsCausal_andClientsConverge(long seed) {
    campaign("faults and a partition", STEADY_LISTINGS, seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void underLaggingListingsToo_historyIsCausal_andClientsConverge(long seed) {
    campaign("lagging listings too", Workload.campaign(), seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void withClocksOffByUpTo3s_historyIsCausal_andClientsConverge(long seed) {
    Workload skewed = Workload.campaign().withClocks(Duration.ofSeconds(3), Duration.ofSeconds(3));
    campaign("clocks off by up to 3 s", skewed, CLOCKLESS, seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void withClocksOffByUpTo30s_historyIsCausal_andClientsConverge(long seed) {
    Workload skewed =
        Workload.campaign().withClocks(Duration.ofSeconds(30), Duration.ofSeconds(30));
    campaign("clocks off by up to 30 s", skewed, CLOCKLESS, seed);
  }

  @Test
  void aStoreThatLosesAcknowledgedValues_isCaught() {
    // A dropped value shows only if someone reads it before a later write replaces it, which
    // depends on timing: one run caught it in 19 of 20 seeds (20 of 20 dropping every 2nd value),
    // and seed 1 alone once missed it with the suite's classes running alongside. So up to 3
    // seeded runs, and one of them must be caught.
    Workload noFaults =
        STEADY_LISTINGS.withPlan(new FaultInjectingObjectStore.Plan(0, 0, 0, Duration.ZERO));
    List<String> missed = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      ContentDroppingStore broken = new ContentDroppingStore(ObjectStores.inMemory(), 5);
      // Clients that read a dropped value may never agree: 2 s, not 20, is enough to see it.
      WorkloadRun run =
          WorkloadRunner.run(broken, "history", noFaults, seed, Duration.ofSeconds(2));
      CheckResult result = CHECKER.check(run.history());
      System.out.println(
          "negative control, seed "
              + seed
              + ": "
              + broken.dropped()
              + " acknowledged values dropped: "
              + result);
      assertThat(broken.dropped()).as("seed %d", seed).isPositive();
      if (!result.violations().isEmpty()) {
        return;
      }
      missed.add("seed " + seed + ":\n" + run.history());
    }
    throw new AssertionError("no run of the broken store was caught: " + missed);
  }

  private static void campaign(String name, Workload workload, long seed) {
    campaign(name, workload, CHECKER, seed);
  }

  private static void campaign(String name, Workload workload, CausalChecker checker, long seed) {
    WorkloadRun run = WorkloadRunner.run(ObjectStores.inMemory(), "history", workload, seed);
    CheckResult result = checker.check(run.history());
    totals(name).add(run, result);
    System.out.println("history campaign (" + name + ") " + run.summary() + ": " + result);
    String replay =
        "seed "
            + seed
            + " (replay: mvn -pl mps3-testkit test -Dtest=CausalHistoryCampaignTest"
            + " -Dmps3.campaign.seed="
            + seed
            + "); "
            + run.summary();
    if (!result.valid()) {
      System.out.println("history of " + replay + ":\n" + run.history());
    }
    assertThat(run.timeouts()).as("%s: calls that hung", replay).isZero();
    assertThat(run.history().finalStates()).as(replay).hasSize(workload.clients());
    assertThat(run.faults().get(Fault.PARTITION))
        .as("%s: partition refused calls", replay)
        .isPositive();
    result.assertValid(replay);
  }

  private static synchronized Totals totals(String name) {
    return TOTALS.computeIfAbsent(name, n -> new Totals());
  }

  @AfterAll
  static synchronized void printTotals() {
    TOTALS.forEach((name, t) -> System.out.println("history campaign (" + name + ") totals: " + t));
  }

  /** Sums over the seeds run, for docs/RELIABILITY.md. */
  private static final class Totals {
    private int runs;
    private long operations;
    private long acknowledged;
    private long unknown;
    private long notifications;
    private int failedRuns;
    private final Map<String, Long> violations = new TreeMap<>();
    private final Map<Fault, Long> faults = new EnumMap<>(Fault.class);

    synchronized void add(WorkloadRun run, CheckResult result) {
      runs++;
      operations += result.operations();
      notifications += result.notifications();
      for (Operation op : run.history().operations()) {
        acknowledged += op.acknowledged() && op.call().isWrite() ? 1 : 0;
        unknown += op.outcome() == Operation.Outcome.UNKNOWN ? 1 : 0;
      }
      run.faults().forEach((kind, n) -> faults.merge(kind, n, Long::sum));
      failedRuns += result.valid() ? 0 : 1;
      result.violations().forEach(v -> violations.merge(v.rule(), 1L, Long::sum));
    }

    @Override
    public synchronized String toString() {
      return String.format(
          "%d runs, %d operations checked (%d writes acknowledged, %d unknown), %d notifications"
              + " checked, faults %s, %d lost writes; %d runs with violations, by rule %s",
          runs,
          operations,
          acknowledged,
          unknown,
          notifications,
          faults,
          violations.getOrDefault(CausalChecker.LOST_WRITE, 0L),
          failedRuns,
          violations);
    }
  }
}
