package io.mps3;

/**
 * What went wrong, in the few kinds a caller acts on differently.
 *
 * @since 0.1
 */
public enum ErrorKind {
  /** Lost a race; refresh and retry. */
  CONFLICT,
  /** Transient store or network trouble; retry later. */
  UNAVAILABLE,
  /** A bad call or configuration: wrong credentials, missing bucket, a clock that is off. */
  INVALID,
  /** Stored data is unreadable or from a newer format. */
  CORRUPT,
  /** The client was closed. */
  CLOSED,
  /** A write may or may not have landed. */
  OUTCOME_UNKNOWN,
  /** A bug. */
  INTERNAL
}
