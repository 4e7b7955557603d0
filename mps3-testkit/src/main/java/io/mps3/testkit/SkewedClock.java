package io.mps3.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset a test sets and may change while clients run: a machine whose
 * clock is wrong, and whose clock steps (as when a time daemon corrects it). Unlike {@link
 * ManualClock}, it moves on its own, so clients that poll and wait behave as in production.
 * Thread-safe.
 */
public final class SkewedClock extends Clock {

  private volatile Duration skew;

  /** A clock {@code skew} ahead of the system clock (behind, if negative). */
  public SkewedClock(Duration skew) {
    this.skew = skew;
  }

  /** Steps the clock by {@code step} (back, if negative). */
  public void step(Duration step) {
    skew = skew.plus(step);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(skew);
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + skew.toMillis();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
