package io.mps3.gateway;

import java.io.IOException;

/**
 * The server in front of the gateway's handler: it listens, parses each caller's requests into
 * {@link Exchange}s and writes their answers. Two exist while the blocking one proves itself
 * (design 0023): Jetty's ({@link JettyFront}) and a blocking one of our own. Thread-safe.
 */
interface FrontServer extends AutoCloseable {

  /** Handles one exchange; see {@link GatewayHandler#handle}. */
  @FunctionalInterface
  interface ExchangeHandler {
    void handle(Exchange exchange) throws IOException;
  }

  /** The port it listens on. */
  int localPort();

  /** Waits until it is closed. */
  void join() throws InterruptedException;

  /** Stops listening and ends the requests in flight. Idempotent. */
  @Override
  void close();
}
