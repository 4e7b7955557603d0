package io.mps3.spi;

import io.mps3.ErrorKind;
import io.mps3.Protocol;
import java.util.Locale;

/**
 * Where a client reports what it does, for metrics: set with {@code
 * Mps3Config.builder().metrics(...)}; {@code io.mps3:mps3-micrometer} has one for Micrometer. The
 * library itself needs no metrics library.
 *
 * <p>A configuration may make many clients: {@link #clientOpened} is called once per client, as it
 * is created, and returns the {@link Recorder} that client reports to until it closes (Caffeine's
 * {@code recordStats(Supplier)}, OkHttp's {@code EventListener.Factory}). What happens (a call and
 * its latency, a commit attempt, a change seen) is pushed to the recorder; levels (writes not yet
 * in the bucket, deliveries waiting for a listener) are read when wanted through {@link Client}, so
 * they cost nothing between reads.
 *
 * <p>The library's promises to an implementation: nothing is called under a library lock; nothing
 * passed holds a value, a document key or a secret (a manifest's key is the only name passed); a
 * recorder that throws is logged once at WARNING and ignored, never failing a call; without metrics
 * configured ({@link #none()}) a call costs no clock read and no allocation more. Implementations
 * must be thread-safe and quick: they run on the threads of the calls they record.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ClientMetrics {

  /**
   * Called once per client as it is created: the recorder the client reports to until it closes.
   *
   * @param client what the client shows of itself: its protocol and its levels
   * @return the recorder of this client (may be shared by clients)
   */
  Recorder clientOpened(Client client);

  /** {@return metrics that record nothing: the default} */
  static ClientMetrics none() {
    return NoMetrics.INSTANCE;
  }

  /**
   * What a client shows of itself to its metrics. The levels are read under the library's locks for
   * a moment, from the manifests the client has open; each read walks them, so read it as gauges
   * are read (at a scrape), not per event. Thread-safe.
   *
   * @since 0.1
   */
  interface Client {

    /** {@return the protocol of every manifest of this client} */
    Protocol protocol();

    /**
     * {@return the writes this client has accepted that the bucket does not hold yet, counted once
     * per manifest they go to: queued, being committed, or kept for a retry while the store is
     * unavailable (the journal's included, once its client has read them)}
     */
    int pendingWrites();

    /**
     * {@return the changes queued for this client's subscriptions that their listeners have not
     * been given yet, over every subscription (one listener that keeps up holds it near 0; a slow
     * one lets it grow, up to about 10,000 per subscription before older values of a key are
     * skipped)}
     */
    int subscriptionBacklog();
  }

  /**
   * What one client reports, as it happens. Every method does nothing unless overridden, so that
   * methods added later do not break an implementation. Thread-safe implementations only: calls
   * come from any of the client's threads, never under a library lock.
   *
   * @since 0.1
   */
  interface Recorder {

    /**
     * A call of the client ended: from the call to the completion of its future (the blocking view
     * records the same call once).
     *
     * @param manifest the manifest it ran on; {@code *} for a write to several manifests
     * @param operation what was called
     * @param outcome how it ended
     * @param nanos how long it took, in nanoseconds
     */
    default void operation(String manifest, Operation operation, Outcome outcome, long nanos) {}

    /**
     * A step of committing this client's writes into a manifest's log (see {@link CommitEvent}).
     *
     * @param manifest the manifest written
     * @param event what happened
     */
    default void commit(String manifest, CommitEvent event) {}

    /**
     * A change another client committed reached this client: the time from the writer's stamp on
     * the change to this client reading it from the log. Strict protocol: for each entry of another
     * session, local time minus the entry's time (the writer's clock when it formed the entry, so
     * it includes the writer's commit round trip). Causal protocol: for each refresh that found an
     * entry newer than any this client had seen, the store's time (local time plus the offset
     * learnt) minus the newest entry's time. Both include the clock skew between the two machines
     * and the poll interval; a negative difference is reported as 0.
     *
     * @param manifest the manifest read
     * @param millis the lag in milliseconds, never negative
     */
    default void pollLag(String manifest, long millis) {}

    /** The client closed: nothing more is reported, and its levels read 0. */
    default void clientClosed() {}
  }

  /**
   * The calls of a client a recorder times.
   *
   * @since 0.1
   */
  enum Operation {
    /** {@code get}, as a tree or as a type. */
    GET,
    /** {@code keys}. */
    KEYS,
    /** {@code refresh}. */
    REFRESH,
    /** {@code put}. */
    PUT,
    /** {@code delete}. */
    DELETE,
    /** {@code putAll}. */
    PUT_ALL,
    /** {@code getVersioned} (strict protocol). */
    GET_VERSIONED,
    /** {@code create} (strict protocol). */
    CREATE,
    /** {@code compareAndSet} (strict protocol). */
    COMPARE_AND_SET,
    /** {@code compareAndSetAll} (strict protocol). */
    COMPARE_AND_SET_ALL,
    /** {@code transaction} (strict protocol), every run of its body included. */
    TRANSACTION;

    /** {@return the name in lower case, as a metric tag: {@code put_all}} */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * How a call ended: {@link #SUCCESS}, {@link #ABORTED}, or the {@link ErrorKind} it failed with.
   * A {@code compareAndSet} or {@code create} that returned false succeeded (it answered); its
   * refusal is a {@link CommitEvent#REFUSED}.
   *
   * @since 0.1
   */
  enum Outcome {
    /** The call completed normally. */
    SUCCESS,
    /** A transaction's body threw an exception of its own, which aborted the transaction. */
    ABORTED,
    /** Failed with {@link ErrorKind#CONFLICT}. */
    CONFLICT,
    /** Failed with {@link ErrorKind#UNAVAILABLE}. */
    UNAVAILABLE,
    /** Failed with {@link ErrorKind#INVALID}. */
    INVALID,
    /** Failed with {@link ErrorKind#CORRUPT}. */
    CORRUPT,
    /** Failed with {@link ErrorKind#CLOSED}. */
    CLOSED,
    /** Failed with {@link ErrorKind#OUTCOME_UNKNOWN}. */
    OUTCOME_UNKNOWN,
    /** Failed with {@link ErrorKind#INTERNAL}. */
    INTERNAL;

    /**
     * The outcome of a failure of a kind.
     *
     * @param kind the failure's kind
     * @return the outcome of that name ({@link #INTERNAL} for a kind newer than this enum)
     */
    public static Outcome of(ErrorKind kind) {
      for (Outcome outcome : values()) {
        if (outcome.name().equals(kind.name())) {
          return outcome;
        }
      }
      return INTERNAL;
    }

    /** {@return the name in lower case, as a metric tag: {@code outcome_unknown}} */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A step of committing a client's writes (PROTOCOL.md A and B). Counts are per log entry, so a
   * group commit of several writes counts once, except {@link #REFUSED}, which counts writes.
   *
   * @since 0.1
   */
  enum CommitEvent {
    /** An entry of this client landed in the log. */
    COMMITTED,
    /**
     * Strict: another writer took the slot this entry was sent to (a {@code 412} on its {@code
     * If-None-Match: *} create); its writes are checked again on the newer state and sent again.
     */
    CONFLICT,
    /**
     * Strict: a write's preconditions failed on the current state (a {@code compareAndSet} or
     * {@code create} returns false; a transaction runs again), so it is not committed.
     */
    REFUSED,
    /**
     * An entry whose create failed or lost its answer is sent again (strict: the slot was found
     * empty; causal: a commit that failed is tried again while its writes stay pending).
     */
    RETRIED,
    /** Strict: a transaction's body runs again, after a refusal or a state that moved under it. */
    TRANSACTION_RERUN;

    /** {@return the name in lower case, as a metric tag: {@code transaction_rerun}} */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
