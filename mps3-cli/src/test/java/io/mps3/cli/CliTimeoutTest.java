package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 item 5: a command against an endpoint that never answers ends with a clear error within
 * its timeout, not after a minute. The endpoint is a plain socket that accepts connections and
 * holds them silently: the failure under test, not a fake S3 server. Times are upper bounds with a
 * wide margin (a JVM starts in the subprocess, on a shared machine): they say "ended, not hung".
 */
class CliTimeoutTest {

  @TempDir Path dir;

  private Cli cli() {
    return Cli.process(
        dir, Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret-9876"));
  }

  @Test
  void get_silentEndpoint_endsWithinTheTimeout_exitThree_namingIt() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      long started = System.nanoTime();
      Cli.Result get =
          cli()
              .run(
                  "get",
                  "k",
                  "--endpoint",
                  silent.endpoint(),
                  "--bucket",
                  "bkt",
                  "--timeout",
                  "2s");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(get.exit()).as(get.err()).isEqualTo(3);
      assertThat(get.err())
          .contains(silent.endpoint())
          .contains("no answer within 2 s")
          .doesNotContain("secret-9876");
      assertThat(silent.accepted()).isPositive(); // it did connect: the server held it silently
      assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
  }

  @Test
  void get_refusedPort_isRetriedUntilTheTimeout_exitThree_sayingConnectionRefused()
      throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    long started = System.nanoTime();
    Cli.Result get =
        cli()
            .run(
                "get",
                "k",
                "--endpoint",
                "http://127.0.0.1:" + port,
                "--bucket",
                "bkt",
                "--timeout",
                "5s"); // a cold JVM's first attempt can take a second: leave room for a refusal
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(get.exit()).as(get.err()).isEqualTo(3);
    // Issue #17: a store restarting refuses connections for a while, so refusals are retried
    // within the timeout, and the message says what happened, never "(null)".
    assertThat(get.err())
        .contains("http://127.0.0.1:" + port)
        .contains("cannot connect: connection refused")
        .containsPattern("within the 5 s call timeout|no answer within 5 s \\(call timeout")
        .doesNotContain("null");
    assertThat(took).isLessThan(Duration.ofSeconds(30)); // ended near its 5 s timeout, not hung
  }

  @Test
  void timeout_notADuration_exitsWithTwo() {
    Cli.Result bad = cli().run("get", "k", "--timeout", "soon");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("'soon' is not a duration (examples: 500ms, 10s, 2m, 1h)");
    assertThat(cli().run("get", "k", "--timeout", "0s").err()).contains("not a positive duration");
  }

  /** Accepts every connection and never writes a byte. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(socket.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    int accepted() {
      return held.size();
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
