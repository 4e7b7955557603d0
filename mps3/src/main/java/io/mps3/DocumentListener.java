package io.mps3;

/**
 * Receives the values of a subscription: the current value once, then every change, in the order of
 * the log, each version at most once. Called on the client's callback executor, one call at a time
 * per subscription, never under a lock of the client: a listener may call the client, and may wait
 * for another thread's call. With a direct executor such as {@code Runnable::run} every listener of
 * the client runs on its one delivery thread, so a listener must not wait for a delivery of another
 * subscription. A listener that falls more than 10,000 deliveries behind skips to the latest value
 * of each key (still in log order) instead of holding them all.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DocumentListener {

  /**
   * A value, or the key's absence.
   *
   * @param change the key, its manifest, and its value (empty when absent)
   */
  void onChange(DocumentChange change);

  /**
   * The subscription could not be brought up to date (the store is unreachable, the credentials are
   * refused). It stays subscribed and keeps trying; called once per failure, not per attempt. By
   * default logs a warning.
   *
   * @param error the failure; its kind is mostly {@link ErrorKind#UNAVAILABLE} or {@link
   *     ErrorKind#INVALID}
   */
  default void onError(Mps3Exception error) {
    System.getLogger(DocumentListener.class.getName())
        .log(System.Logger.Level.WARNING, "MPS3 subscription: " + error.getMessage());
  }
}
