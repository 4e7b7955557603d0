package io.mps3.internal.strict;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How contended one strict manifest is for this client: whether another writer took a slot it tried
 * lately, and how long a create takes. Under contention, new transactions first wait a random part
 * of two round trips (see {@link StrictManifests}). Thread-safe (volatile fields: the numbers are
 * hints, a lost update costs nothing).
 */
final class Contention {

  private final String session;

  Contention(String session) {
    this.session = session;
  }

  /** How long contention lasts after a lost slot. */
  private static final long CONTENDED_NANOS = TimeUnit.SECONDS.toNanos(1);

  private volatile long contendedUntil = System.nanoTime();
  private volatile long createNanos = TimeUnit.MILLISECONDS.toNanos(5);

  private volatile long wroteAt = System.nanoTime() - CONTENDED_NANOS;

  /** Records that another writer took a slot this client tried. */
  void contended() {
    contendedUntil = System.nanoTime() + CONTENDED_NANOS;
  }

  /** Notes contention when another writer's entry follows one of this client's closely. */
  void noteWriter(StrictEntry entry) {
    long now = System.nanoTime();
    if (entry.writer().equals(session)) {
      wroteAt = now;
    } else if (now - wroteAt < CONTENDED_NANOS) {
      contended();
    }
  }

  /** Records how long a create of a slot took (a moving average of the round trip). */
  void createTook(long nanos) {
    createNanos = (createNanos * 7 + nanos) / 8;
  }

  /** A random wait of up to two round trips while contended, else 0 (see StrictManifests). */
  long politeDelayMicros() {
    if (System.nanoTime() - contendedUntil > 0) {
      return 0;
    }
    return ThreadLocalRandom.current().nextLong(2 * createNanos / 1000 + 1);
  }
}
