package io.mps3.gateway;

/**
 * What {@link BlockingServer} calls for each request: it answers through the exchange. Called on
 * the connection's own thread, one request at a time per connection.
 */
@FunctionalInterface
interface ExchangeHandler {

  /**
   * Handles one request. A handler that throws before answering gets a 500 sent for it; one that
   * throws after answering has started ends the connection (the caller sees a cut answer).
   */
  void handle(Exchange exchange) throws Exception;
}
