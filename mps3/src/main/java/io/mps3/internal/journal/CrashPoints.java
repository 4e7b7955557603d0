package io.mps3.internal.journal;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A test-only hook for crash tests with real processes: with the system property {@code
 * mps3.test.crashAt=<point>:<n>}, the {@code n}-th time (from 1) the journal reaches {@code point},
 * the thread prints {@code mps3-crash-point <point> <n>} on standard output and blocks for good, so
 * the test can kill the process there ({@code kill -9}). Without the property (always, outside such
 * tests) {@link #reach} is one field read.
 *
 * <p>Points, in the order a write passes them: {@code journaled} (the write's journal file is
 * durable; content not written), {@code content-stored} (content written, entry key not recorded),
 * {@code entry-recorded} (entry key durable in the journal, entry not sent), {@code entry-written}
 * (the store acknowledged the entry; journal file not deleted). Thread-safe.
 */
public final class CrashPoints {

  static final String PROPERTY = "mps3.test.crashAt";

  private static final @Nullable String POINT;
  private static final int NTH;
  private static final AtomicInteger REACHED = new AtomicInteger();

  static {
    String spec = System.getProperty(PROPERTY);
    String point = null;
    int nth = 0;
    if (spec != null && !spec.isBlank()) {
      int colon = spec.lastIndexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException(PROPERTY + " must be <point>:<n>, was " + spec);
      }
      point = spec.substring(0, colon);
      nth = Integer.parseInt(spec.substring(colon + 1));
    }
    POINT = point;
    NTH = nth;
  }

  private CrashPoints() {}

  /** Blocks for good when this is the configured point and its configured pass. */
  public static void reach(String point) {
    if (POINT == null || !POINT.equals(point) || REACHED.incrementAndGet() != NTH) {
      return;
    }
    PrintStream out = System.out;
    out.println("mps3-crash-point " + point + " " + NTH);
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
