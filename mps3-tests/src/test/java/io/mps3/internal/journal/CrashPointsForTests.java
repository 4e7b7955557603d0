package io.mps3.internal.journal;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Installs the crash tests' hook in a worker process ({@code JournalWorker}): with {@code
 * -Dmps3.test.crashAt=<point>:<n>}, the {@code n}-th time (from 1) a write reaches {@code point},
 * the thread prints {@code mps3-crash-point <point> <n>} and blocks for good, so the test can kill
 * the process there. It lives in the journal's package to reach its package-private seam.
 */
public final class CrashPointsForTests {

  /** The system property naming the point and its pass. */
  public static final String PROPERTY = "mps3.test.crashAt";

  private CrashPointsForTests() {}

  /** Installs the hook the property asks for; does nothing without the property. */
  public static void installFromProperty() {
    String spec = System.getProperty(PROPERTY);
    if (spec == null || spec.isBlank()) {
      return;
    }
    int colon = spec.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException(PROPERTY + " must be <point>:<n>, was " + spec);
    }
    String point = spec.substring(0, colon);
    int nth = Integer.parseInt(spec.substring(colon + 1));
    AtomicInteger reached = new AtomicInteger();
    CrashPoints.install(
        p -> {
          if (p.equals(point) && reached.incrementAndGet() == nth) {
            blockForGood(point, nth);
          }
        });
  }

  private static void blockForGood(String point, int nth) {
    PrintStream out = System.out;
    out.println("mps3-crash-point " + point + " " + nth);
    out.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // Keep blocking: only the test's kill ends this thread.
      }
    }
  }
}
