package io.mps3;

/**
 * A running subscription. Closing it stops delivery (idempotent); when it was the last of its
 * manifest, polling stops too.
 *
 * @since 0.1
 */
public interface Subscription extends AutoCloseable {

  /** Stops delivery. */
  @Override
  void close();
}
