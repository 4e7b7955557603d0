package io.mps3.testkit;

import java.time.Duration;

/** Retries an assertion until it holds or time runs out (instead of sleeping in tests). */
public final class Eventually {

  private Eventually() {}

  /** Runs {@code assertion} until it passes; rethrows its last failure after {@code timeout}. */
  public static void eventually(Duration timeout, Runnable assertion) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
