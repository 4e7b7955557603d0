package io.mps3.testkit.history;

import io.mps3.testkit.FaultInjectingObjectStore.Fault;
import java.util.Map;

/**
 * What one run of {@link WorkloadRunner} recorded and injected.
 *
 * @param seed the seed that replays the run's decisions
 * @param history everything the clients did and saw, final states included
 * @param faults the faults injected, by kind, over all clients
 * @param partition how the partition went ("none", or which client and for which operations)
 * @param clocks how the clients' clocks were off ("synchronized", or each one's skew and the step)
 * @param subscriptionErrors how many failures subscriptions reported to their listeners
 * @param timeouts how many calls did not answer within the runner's timeout (hung calls)
 * @param settled whether the clients read the same state before the runner gave up waiting
 */
public record WorkloadRun(
    long seed,
    History history,
    Map<Fault, Long> faults,
    String partition,
    String clocks,
    int subscriptionErrors,
    int timeouts,
    boolean settled) {

  /** Copies the map. */
  public WorkloadRun {
    faults = Map.copyOf(faults);
  }

  /** One line for logs: seed, operations by outcome, notifications, faults, partition, clocks. */
  public String summary() {
    long ok = 0;
    long unknown = 0;
    long failed = 0;
    for (Operation op : history.operations()) {
      switch (op.outcome()) {
        case OK -> ok++;
        case UNKNOWN -> unknown++;
        default -> failed++;
      }
    }
    return String.format(
        "seed %d: %d operations (%d ok, %d unknown, %d failed), %d notifications, faults %s,"
            + " partition %s, clocks %s, %d subscription errors, %d timeouts%s",
        seed,
        ok + unknown + failed,
        ok,
        unknown,
        failed,
        history.notifications().size(),
        new java.util.TreeMap<>(faults),
        partition,
        clocks,
        subscriptionErrors,
        timeouts,
        settled ? "" : ", NOT SETTLED");
  }
}
