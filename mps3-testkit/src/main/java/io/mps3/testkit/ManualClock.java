package io.mps3.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told: deterministic time for protocol tests. Thread-safe. */
public final class ManualClock extends Clock {

  private volatile Instant now;

  /** A clock showing {@code start}. */
  public ManualClock(Instant start) {
    this.now = start;
  }

  /** Sets the time. */
  public void set(Instant instant) {
    this.now = instant;
  }

  /** Moves the time forward (or back, with a negative duration). */
  public void advance(Duration duration) {
    this.now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
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
