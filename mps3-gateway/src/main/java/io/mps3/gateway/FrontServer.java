package io.mps3.gateway;

/**
 * The server in front of the gateway's handler: it listens, parses each caller's requests into
 * {@link Exchange}s and writes their answers. Two exist while the blocking one proves itself
 * (design 0023): {@link BlockingServer}, the default, and Jetty's ({@link JettyFront}).
 * Thread-safe.
 */
interface FrontServer extends AutoCloseable {

  /** The port it listens on. */
  int localPort();

  /** Waits until it is closed. */
  void join() throws InterruptedException;

  /** Stops listening and ends the requests in flight. Idempotent. */
  @Override
  void close();
}
