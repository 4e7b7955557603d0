package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.LossyRelay;
import io.mps3.testkit.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the gateway's upstream client ({@link UpstreamClient}) puts on the wire to a real store: the
 * signed request and nothing of its own, on one kept-alive connection. The bytes go through a relay
 * that records what the client sends on to S3Proxy, which checks the signature and answers. And
 * what it does when the store stops reading a request body (behind a {@link LossyRelay}).
 */
class UpstreamIT {

  private static final String BUCKET = "upstream-it";

  private static S3ProxyServer store;
  private static RecordingRelay relay;
  private static Upstream upstream;

  @BeforeAll
  static void start() throws Exception {
    store = S3ProxyServer.startTransient();
    try (S3ObjectStore admin = store.storeBuilder().build()) {
      admin.createBucket(BUCKET).join();
    }
    relay = new RecordingRelay(store.endpoint());
    upstream =
        new Upstream(
            new GatewayConfig.Upstream(
                relay.endpoint(), "us-east-1", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    upstream.close();
    relay.close();
    store.close();
  }

  @Test
  void putAndGet_sendOnlyTheSignedRequest() throws Exception {
    byte[] body = "a value".getBytes(StandardCharsets.UTF_8);
    String hash = HexFormat.of().formatHex(SigV4.sha256().digest(body));
    Upstream.Answer put =
        upstream.send(
            "PUT",
            "/" + BUCKET + "/k",
            List.of(),
            Map.of("content-type", List.of("text/plain"), "accept-encoding", List.of("gzip")),
            new java.io.ByteArrayInputStream(body),
            body.length,
            hash);
    put.body().close();
    Upstream.Answer get =
        upstream.send("GET", "/" + BUCKET + "/k", List.of(), Map.of(), null, 0, SigV4.EMPTY_SHA256);
    byte[] read;
    try (InputStream in = get.body()) {
      read = in.readAllBytes();
    }

    assertThat(put.status()).isEqualTo(200);
    assertThat(get.status()).isEqualTo(200);
    assertThat(read).isEqualTo(body);
    assertThat(get.headers().get("ETag")).isNotBlank();
    String sent = relay.sent().toLowerCase(Locale.ROOT);
    assertThat(sent)
        .contains("content-length: " + body.length, "content-type: text/plain")
        .doesNotContain("accept-encoding", "user-agent", "cookie", "transfer-encoding");
    assertThat(relay.accepted()).isEqualTo(1); // the GET went on the PUT's connection
  }

  /**
   * A store that stops reading a request body (a relay in front of S3Proxy stops taking the
   * client's bytes after 100 KB): the blocked write ends after the client's timeout with a timeout
   * error, and the connection is closed, so the next request goes on a new one and is answered.
   */
  @Test
  void aStoreThatStopsReading_endsTheWriteAfterTheTimeout_onAConnectionNotReused()
      throws Exception {
    try (LossyRelay stalling = LossyRelay.start(store.endpoint());
        UpstreamClient client =
            new UpstreamClient(
                stalling.endpoint(),
                Duration.ofSeconds(10),
                Duration.ofMillis(300),
                Duration.ofSeconds(15),
                4)) {
      Upstream signing = upstream(stalling.endpoint(), S3ProxyServer.SECRET_KEY, client);
      stalling.stallNextRequests(1, 100_000);
      long length = 1L << 30; // far more than the socket buffers take: the write must block

      assertThatThrownBy(
              () ->
                  assertTimeoutPreemptively(
                      Duration.ofSeconds(60), // a guard: without the watchdog TCP never gives up
                      () -> put(signing, "stalled", zeros(), length)))
          .isInstanceOf(UpstreamClient.WriteStalled.class)
          .hasMessageContaining("stopped reading");
      Upstream.Answer next =
          signing.send(
              "GET", "/" + BUCKET + "/stalled", List.of(), Map.of(), null, 0, SigV4.EMPTY_SHA256);
      next.body().close();

      assertThat(next.status()).isEqualTo(404); // nothing stored; answered on a new connection
      assertThat(client.opened()).isEqualTo(2);
    }
  }

  /**
   * S3Proxy refuses a request signed with a wrong secret as soon as it has read the head, and
   * closes the connection without reading the body: the client's write fails (broken pipe or
   * reset), and the store's 403 is what the caller gets, on a connection not reused.
   */
  @Test
  void anAnswerBeforeTheBodyWasRead_isPassedBack_onAConnectionNotReused() throws Exception {
    try (UpstreamClient client =
        new UpstreamClient(
            store.endpoint(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            4)) {
      Upstream wrongSecret = upstream(store.endpoint(), "not-the-secret", client);

      Upstream.Answer early = put(wrongSecret, "early", zeros(), 1L << 30);
      String error;
      try (InputStream in = early.body()) {
        error = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Upstream.Answer next =
          wrongSecret.send(
              "GET", "/" + BUCKET + "/early", List.of(), Map.of(), null, 0, SigV4.EMPTY_SHA256);
      next.body().close();

      assertThat(early.status()).isEqualTo(403);
      assertThat(error).contains("<Code>SignatureDoesNotMatch</Code>");
      assertThat(next.status()).isEqualTo(403);
      assertThat(client.opened()).isEqualTo(2);
    }
  }

  private static Upstream upstream(URI endpoint, String secret, UpstreamClient client) {
    return new Upstream(
        new GatewayConfig.Upstream(endpoint, "us-east-1", S3ProxyServer.ACCESS_KEY, secret),
        Clock.systemUTC(),
        client);
  }

  private static Upstream.Answer put(Upstream to, String key, InputStream body, long length)
      throws IOException {
    return to.send(
        "PUT", "/" + BUCKET + "/" + key, List.of(), Map.of(), body, length, SigV4.UNSIGNED_PAYLOAD);
  }

  /** An endless body of zeros, made as it is read. */
  static InputStream zeros() {
    return new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] to, int offset, int length) {
        java.util.Arrays.fill(to, offset, offset + length, (byte) 0);
        return length;
      }
    };
  }

  /** A TCP relay to the store that keeps a copy of every byte the client sends. */
  private static final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final java.util.concurrent.atomic.AtomicInteger accepted =
        new java.util.concurrent.atomic.AtomicInteger();

    RecordingRelay(URI target) throws IOException {
      this.target = target;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(this::accept, "recording-relay");
      accept.setDaemon(true);
      accept.start();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int accepted() {
      return accepted.get();
    }

    String sent() {
      synchronized (sent) {
        return sent.toString(StandardCharsets.ISO_8859_1);
      }
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          accepted.incrementAndGet();
          Socket upstream = new Socket(target.getHost(), target.getPort());
          pipe(client.getInputStream(), upstream.getOutputStream(), true);
          pipe(upstream.getInputStream(), client.getOutputStream(), false);
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void pipe(InputStream from, OutputStream to, boolean record) {
      Thread pipe =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (from;
                    to) {
                  for (int n; (n = from.read(buffer)) >= 0; ) {
                    if (record) {
                      synchronized (sent) {
                        sent.write(buffer, 0, n);
                      }
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                  }
                } catch (IOException e) {
                  // The other side closed: this direction ends too.
                }
              },
              "recording-relay-pipe");
      pipe.setDaemon(true);
      pipe.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
