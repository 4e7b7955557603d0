package io.mps3.gateway;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The operations sections of the gateway's config: per-caller rate limits and the audit log. Read
 * by {@link OperationsConfigReader}.
 *
 * @param rateLimit the per-caller limit, or null for none
 * @param stsRateLimit the limit of STS requests per client address, or null for none
 * @param maxInFlight the most requests one caller may have in progress at once
 * @param audit where the audit log goes
 */
record OperationsConfig(
    @Nullable RateLimit rateLimit, @Nullable RateLimit stsRateLimit, int maxInFlight, Audit audit) {

  /** Requests one caller may have in progress at once when the config does not say. */
  static final int DEFAULT_MAX_IN_FLIGHT = 64;

  /** No rate limit, no audit log: what a config without these sections means. */
  static final OperationsConfig NONE =
      new OperationsConfig(null, null, DEFAULT_MAX_IN_FLIGHT, new Audit(Audit.Target.OFF, null));

  /**
   * A token bucket per caller (issuer and {@code sub}), kept in each gateway's memory: with several
   * instances behind a load balancer, a caller gets up to this much from each.
   *
   * @param requestsPerSecond the rate the bucket refills at (may be below 1)
   * @param burst the bucket's size: how many requests a caller may send at once after a pause
   */
  record RateLimit(double requestsPerSecond, int burst) {}

  /**
   * Where the audit log's JSON lines go.
   *
   * @param target off, standard error, or a file
   * @param file the file (appended to) when the target is {@link Target#FILE}
   */
  record Audit(Target target, @Nullable Path file) {

    /** The kinds of destination. */
    enum Target {
      OFF,
      STDERR,
      FILE
    }
  }
}
