package io.mps3.gateway;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests each caller has in progress, capped: on the gateway's own server each request
 * in progress holds a connection thread, so one caller (valid credentials, a body sent one byte at
 * a time) must not hold them all. A rate limit alone does not bound this: it counts requests as
 * they start, not how long they last. Thread-safe.
 */
final class InFlightLimit {

  private final int max;
  private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  /** A cap of {@code max} requests in progress per caller. */
  InFlightLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    this.max = max;
  }

  /** Takes a place for {@code caller}'s request: false when it already has {@code max}. */
  boolean enter(String caller) {
    boolean[] entered = {false};
    inFlight.compute(
        caller,
        (key, count) -> {
          int now = count == null ? 0 : count;
          if (now >= max) {
            return count;
          }
          entered[0] = true;
          return now + 1;
        });
    return entered[0];
  }

  /** Gives back a place taken by {@link #enter}; a caller with none left is forgotten. */
  void leave(String caller) {
    inFlight.computeIfPresent(caller, (key, count) -> count <= 1 ? null : count - 1);
  }
}
