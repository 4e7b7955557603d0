package io.mps3.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-caller rate limits: a token bucket per caller, in this gateway's memory only (several
 * instances each give a caller the configured rate). A request takes one token; an empty bucket
 * means the caller must wait, and {@link #admit} says how long. Thread-safe.
 */
final class RateLimiter {

  /** Above this many callers, buckets that have refilled completely are forgotten. */
  private static final int FORGET_ABOVE = 10_000;

  private final double perNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(OperationsConfig.RateLimit limit, LongSupplier nanoTime) {
    this.perNano = limit.requestsPerSecond() / 1e9;
    this.burst = limit.burst();
    this.nanoTime = nanoTime;
  }

  /**
   * Takes a token of a caller's bucket.
   *
   * @param caller who is asking (issuer and subject)
   * @return zero when admitted, else how long until a token is back
   */
  Duration admit(String caller) {
    long now = nanoTime.getAsLong();
    if (buckets.size() > FORGET_ABOVE) {
      buckets.values().removeIf(b -> b.full(now));
    }
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(burst, now));
    return bucket.take(now);
  }

  /** One caller's tokens, refilled lazily when asked. */
  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }

    synchronized Duration take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - updated) * perNano);
      updated = now;
    }
  }
}
