package io.mps3.internal.journal;

/**
 * The points of a journaled write's life where crash tests stop a process, and the seam they stop
 * it through. Production never sets a hook: {@link #reach} is then one volatile read. A test in
 * this package installs one with {@link #install} (a hook that prints the point and blocks, so the
 * test can kill the process there with {@code kill -9}). Every point is reached outside the
 * client's locks: a hook that blocks stops one thread, never a lock the rest of the client needs.
 *
 * <p>Points, in the order a write passes them: {@code journaled} (the write's journal file is
 * durable; its upload and commit may have started), {@code content-stored} (content written, entry
 * key not recorded), {@code entry-recorded} (entry key durable in the journal, entry not sent),
 * {@code entry-written} (the store acknowledged the entry; journal file not deleted). Thread-safe.
 */
public final class CrashPoints {

  /** What a test does when a write reaches a point. */
  interface Hook {
    void reached(String point);
  }

  private static volatile Hook hook = point -> {};

  private CrashPoints() {}

  /** Installs a test's hook, for every client of this JVM. Package-private: tests only. */
  static void install(Hook testHook) {
    hook = testHook;
  }

  /** A write reached {@code point}; called outside every lock of the client. */
  public static void reach(String point) {
    hook.reached(point);
  }
}
