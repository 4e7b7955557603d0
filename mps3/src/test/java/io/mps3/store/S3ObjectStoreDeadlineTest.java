package io.mps3.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.ObjectStoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 5: the call timeout is a deadline for the whole call, whatever it waits for. The
 * server is a plain socket that answers with headers and then stalls in the middle of the body: the
 * JDK's request timeout stops at the headers, so without the deadline the call would wait for ever.
 */
class S3ObjectStoreDeadlineTest {

  @Test
  void get_bodyStallsAfterTheHeaders_failsAtTheCallTimeout_namingEndpointAndTimeout()
      throws IOException {
    try (StallingServer server = new StallingServer()) {
      URI endpoint = URI.create("http://127.0.0.1:" + server.port());
      try (S3ObjectStore store =
          S3ObjectStore.builder()
              .endpoint(endpoint)
              .credentials("id", "secret-4321")
              .callTimeout(Duration.ofMillis(1500))
              .build()) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> store.get("bucket", "k").join())
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOfSatisfying(
                ObjectStoreException.class,
                e -> assertThat(e.kind()).isEqualTo(ObjectStoreException.Kind.UNAVAILABLE))
            .hasMessage(
                "GET s3://bucket/k at "
                    + endpoint
                    + ": no answer within 1.5 s (call timeout, retries included)");
        // an outcome, not a benchmark: it ended near its deadline instead of hanging
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofSeconds(10));
      }
    }
  }

  /** Answers every request with 200, a Content-Length of 1000, ten bytes, and then nothing. */
  private static final class StallingServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    StallingServer() throws IOException {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = socket.accept();
                    held.add(s);
                    OutputStream out = s.getOutputStream();
                    out.write(
                        ("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
                                + "Content-Type: application/json\r\n\r\n0123456789")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "stalling-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
