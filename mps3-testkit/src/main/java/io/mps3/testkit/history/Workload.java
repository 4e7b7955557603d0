package io.mps3.testkit.history;

import io.mps3.Protocol;
import io.mps3.testkit.FaultInjectingObjectStore.Plan;
import java.time.Duration;

/**
 * What {@link WorkloadRunner} does: how many clients, how many operations each, on how many keys
 * ({@code k0}, {@code k1}, ...), under which faults, whether one client is partitioned from the
 * store for a stretch of its operations, and how wrong the clients' clocks are.
 *
 * @param clients how many clients, each on its own thread with its own fault-injecting wrapper
 * @param operations how many operations each client calls
 * @param keys how many keys all clients share
 * @param plan the faults each client's wrapper injects
 * @param partitionOneClient whether one client (chosen by the seed) is cut off for a quarter of its
 *     operations
 * @param pollInterval the clients' poll interval
 * @param protocol the clients' protocol; under the strict one, some operations are compare-and-set,
 *     run as transactions
 * @param clockSkew how far each client's clock may be off: the seed sets each one within plus or
 *     minus this; zero keeps the system clock
 * @param clockStep how far one client's clock (chosen by the seed) steps back halfway through its
 *     operations, as when a time daemon corrects it; zero for none
 */
public record Workload(
    int clients,
    int operations,
    int keys,
    Plan plan,
    boolean partitionOneClient,
    Duration pollInterval,
    Protocol protocol,
    Duration clockSkew,
    Duration clockStep) {

  /** Checks the numbers. */
  public Workload {
    if (clients < 1 || operations < 1 || keys < 2) {
      throw new IllegalArgumentException(
          "need clients >= 1, operations >= 1, keys >= 2; was "
              + clients
              + ", "
              + operations
              + ", "
              + keys);
    }
    if (clockSkew.isNegative() || clockStep.isNegative()) {
      throw new IllegalArgumentException(
          "clockSkew and clockStep must not be negative, were " + clockSkew + ", " + clockStep);
    }
  }

  /**
   * The campaign's workload: 4 clients, 40 operations each, 3 keys; 5% of calls fail before the
   * store and 5% after it, 20% are delayed up to 3 ms, 30% of listings lag 100 ms (a run lasts
   * about a second); one client is partitioned; polls every 20 ms.
   */
  public static Workload campaign() {
    return new Workload(
        4,
        40,
        3,
        new Plan(0.05, 0.05, 0.2, Duration.ofMillis(3))
            .withDelayedListing(0.3, Duration.ofMillis(100)),
        true,
        Duration.ofMillis(20),
        Protocol.CAUSAL,
        Duration.ZERO,
        Duration.ZERO);
  }

  /** This workload under another fault plan. */
  public Workload withPlan(Plan other) {
    return new Workload(
        clients,
        operations,
        keys,
        other,
        partitionOneClient,
        pollInterval,
        protocol,
        clockSkew,
        clockStep);
  }

  /** This workload under another protocol. */
  public Workload withProtocol(Protocol other) {
    return new Workload(
        clients,
        operations,
        keys,
        plan,
        partitionOneClient,
        pollInterval,
        other,
        clockSkew,
        clockStep);
  }

  /**
   * This workload with clocks off by up to {@code skew}, and one stepping back by {@code step} (see
   * {@link #clockSkew} and {@link #clockStep}).
   */
  public Workload withClocks(Duration skew, Duration step) {
    return new Workload(
        clients, operations, keys, plan, partitionOneClient, pollInterval, protocol, skew, step);
  }
}
