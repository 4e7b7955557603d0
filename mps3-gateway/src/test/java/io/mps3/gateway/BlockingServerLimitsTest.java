package io.mps3.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The front server's limits: connection threads, the head's deadline, the idle timeout, and closing
 * with requests in flight.
 */
class BlockingServerLimitsTest {

  private static final String GET = "GET /echo HTTP/1.1\r\nHost: a\r\n\r\n";

  @Test
  void pastMaxConnections_aNewConnectionGets503_whileEveryThreadServesARequest() throws Exception {
    TestRoutes routes = new TestRoutes(2);
    try (BlockingServer server = BlockingServer.start("127.0.0.1", 0, null, routes, 2);
        RawHttpConnection first = new RawHttpConnection(server.localPort());
        RawHttpConnection second = new RawHttpConnection(server.localPort())) {
      for (RawHttpConnection held : new RawHttpConnection[] {first, second}) {
        held.send("GET /gate HTTP/1.1\r\nHost: a\r\n\r\n"); // holds a thread until released
      }
      assertThat(routes.entered.await(10, TimeUnit.SECONDS)).isTrue();
      try (RawHttpConnection third = new RawHttpConnection(server.localPort())) {
        RawHttpConnection.Answer busy = third.read();
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.text()).contains("<Code>SlowDown</Code>");
        assertThat(busy.header("connection")).isEqualTo("close");
        assertThat(third.closedByServer()).isTrue();
      }
      routes.release.countDown();
      assertThat(first.read().status()).isEqualTo(200);
      assertThat(second.read().status()).isEqualTo(200);
      // Both connections are now idle and still hold both threads: one makes room for a new one.
      try (RawHttpConnection next = new RawHttpConnection(server.localPort())) {
        next.send(GET);
        assertThat(next.read().status()).isEqualTo(200);
      }
    }
  }

  @Test
  void headSentByteByByte_pastItsDeadline_isRefusedWith408() throws Exception {
    BlockingServer.Timeouts timeouts = TestTimeouts.withHead(Duration.ofMillis(300));
    try (BlockingServer server =
            BlockingServer.start("127.0.0.1", 0, null, new TestRoutes(), 4, timeouts);
        RawHttpConnection c = new RawHttpConnection(server.localPort())) {
      long start = System.nanoTime();
      // One byte every 50 ms: each wait is far below the deadline, only their sum passes it.
      CompletableFuture<Void> slow =
          CompletableFuture.runAsync(
              () -> {
                try {
                  byte[] head =
                      ("GET /echo HTTP/1.1\r\nX-Slow: " + "a".repeat(200)).getBytes(ISO_8859_1);
                  for (byte b : head) {
                    c.send(new byte[] {b});
                    Thread.sleep(50);
                  }
                } catch (IOException | InterruptedException e) {
                  // the server closed the connection: what this test waits for
                }
              });
      RawHttpConnection.Answer answer = c.read();
      long took = System.nanoTime() - start;
      assertThat(answer.status()).isEqualTo(408);
      assertThat(took).isBetween(TimeUnit.MILLISECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(5));
      assertThat(c.closedByServer()).isTrue();
      slow.cancel(true);
    }
  }

  @Test
  void idleConnection_isClosedAfterTheIdleTimeout() throws Exception {
    BlockingServer.Timeouts timeouts = TestTimeouts.withIdle(Duration.ofMillis(200));
    try (BlockingServer server =
            BlockingServer.start("127.0.0.1", 0, null, new TestRoutes(), 4, timeouts);
        RawHttpConnection c = new RawHttpConnection(server.localPort())) {
      c.send(GET);
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue(); // within the client's 10 s: after about 200 ms
    }
  }

  @Test
  void close_endsIdleConnectionsAtOnce_andLetsARequestInFlightFinish() throws Exception {
    TestRoutes routes = new TestRoutes();
    BlockingServer server = BlockingServer.start("127.0.0.1", 0, null, routes, 4);
    try (RawHttpConnection idle = new RawHttpConnection(server.localPort());
        RawHttpConnection busy = new RawHttpConnection(server.localPort())) {
      idle.send(GET);
      assertThat(idle.read().status()).isEqualTo(200);
      busy.send("GET /gate HTTP/1.1\r\nHost: a\r\n\r\n");
      routes.entered.await();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      assertThat(idle.closedByServer()).isTrue();
      assertThat(closing).isNotDone();
      routes.release.countDown();
      RawHttpConnection.Answer answer = busy.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("connection")).isEqualTo("close");
      assertThat(busy.closedByServer()).isTrue();
      closing.get(10, TimeUnit.SECONDS);
      server.join(); // returns: closed
      server.close(); // again: nothing to do
    }
  }
}
