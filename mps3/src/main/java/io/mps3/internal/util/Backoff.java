package io.mps3.internal.util;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff of the library: capped exponential waits with jitter, so that clients that failed
 * together do not retry together. Attempt 1 waits up to {@code base}, each further attempt up to
 * twice as long, never over {@code cap}.
 */
public final class Backoff {

  private Backoff() {}

  /** A wait in {@code [0, ceiling]} ("full jitter"): the widest spread, for many retrying peers. */
  public static long fullJitter(long baseMillis, long capMillis, int attempt) {
    return ThreadLocalRandom.current().nextLong(ceiling(baseMillis, capMillis, attempt) + 1);
  }

  /**
   * A wait in {@code [ceiling / 2, ceiling]} ("equal jitter"): never much shorter than the ceiling,
   * for a retry that should let the failure pass first.
   */
  public static long equalJitter(long baseMillis, long capMillis, int attempt) {
    long ceiling = ceiling(baseMillis, capMillis, attempt);
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private static long ceiling(long baseMillis, long capMillis, int attempt) {
    int doublings = Math.max(0, Math.min(attempt - 1, 30));
    long ceiling = baseMillis << doublings;
    return Math.max(1, ceiling < 0 || ceiling > capMillis ? capMillis : ceiling);
  }
}
