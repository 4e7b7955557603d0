package io.mps3;

/**
 * Receives the values of a subscription: the current value once, then every change, in the order of
 * the log, each version at most once. Called on the client's callback executor, one call at a time
 * per subscription, never under the client's locks (with a direct executor such as {@code
 * Runnable::run}, a listener runs while its own subscription's ordering lock is held, so it must
 * not wait for another of its deliveries).
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
