package io.mps3.internal.strict;

import java.time.Duration;

/**
 * Tunables of the strict protocol.
 *
 * @param inlineLimit values of at most this many bytes of JSON travel inside the entry
 * @param checkpointInterval a checkpoint follows every this many entries
 * @param transactionAttempts how often a transaction runs before it fails with a conflict
 * @param autoclean whether old entries, checkpoints and content objects are deleted
 * @param grace how long after it is superseded an object stays for readers in flight
 * @param outageTimeout how long a step that needs the store's answer retries through failures
 */
public record StrictSettings(
    int inlineLimit,
    int checkpointInterval,
    int transactionAttempts,
    boolean autoclean,
    Duration grace,
    Duration outageTimeout) {

  /** The most writes one entry carries (group commit). */
  public static final int MAX_BATCH_WRITES = 1000;

  /** The most bytes of inline values one entry carries (group commit). */
  public static final int MAX_BATCH_BYTES = 1 << 20;
}
