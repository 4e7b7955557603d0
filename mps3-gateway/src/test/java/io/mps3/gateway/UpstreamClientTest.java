package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's upstream HTTP client against a raw socket peer that plays the exact bytes of each
 * edge case of HTTP/1.1 framing (a fixture for the parser, not a store: what the client sends to a
 * real store is {@link UpstreamIT}'s). Each test counts the connections the client opened, to see
 * which answers leave the connection reusable.
 */
class UpstreamClientTest {

  private static final List<Map.Entry<String, String>> HOST = List.of(Map.entry("Host", "peer"));

  private @Nullable Peer peer;
  private @Nullable UpstreamClient client;

  @AfterEach
  void close() throws IOException {
    if (client != null) {
      client.close();
    }
    if (peer != null) {
      peer.close();
    }
  }

  @Test
  void chunkedAnswer_extensionsAndTrailersDropped_connectionReused() throws Exception {
    startOne(
        List.of(
            String.join(
                "\r\n",
                "HTTP/1.1 200 OK",
                "Transfer-Encoding: chunked",
                "",
                "5;name=value",
                "hello",
                "7",
                ", world",
                "0;last",
                "x-checksum: abc",
                "",
                ""),
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

    assertThat(get("GET")).isEqualTo("200 hello, world");
    assertThat(get("GET")).isEqualTo("200 ok");
    assertThat(client().opened()).isEqualTo(1);
  }

  @Test
  void headWithContentLength_and304_haveNoBody() throws Exception {
    startOne(
        List.of(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"e\"\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
            "HTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nvalue"));

    assertThat(get("HEAD")).isEqualTo("200 ");
    assertThat(get("GET")).isEqualTo("304 ");
    assertThat(get("DELETE")).isEqualTo("204 ");
    assertThat(get("GET")).isEqualTo("200 value");
    assertThat(client().opened()).isEqualTo(1);
  }

  @Test
  void interimContinue_isSkipped() throws Exception {
    startOne(
        List.of(
            String.join(
                "\r\n",
                "HTTP/1.1 100 Continue",
                "",
                "HTTP/1.1 103 Early Hints",
                "Link: </x>",
                "",
                "HTTP/1.1 201 Created",
                "Content-Length: 4",
                "",
                "done")));

    assertThat(get("PUT")).isEqualTo("201 done");
  }

  @Test
  void closeDelimitedBody_readToTheEnd_connectionNotReused() throws Exception {
    start(List.of(List.of("HTTP/1.1 200 OK\r\n\r\nall of it", CLOSE), List.of(OK)));

    assertThat(get("GET")).isEqualTo("200 all of it");
    assertThat(get("GET")).isEqualTo("200 ok");
    assertThat(client().opened()).isEqualTo(2);
  }

  @Test
  void connectionClose_isHonoured() throws Exception {
    start(
        List.of(
            List.of("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"),
            List.of(OK)));

    assertThat(get("GET")).isEqualTo("200 a");
    assertThat(get("GET")).isEqualTo("200 ok");
    assertThat(client().opened()).isEqualTo(2);
  }

  @Test
  void pooledConnectionClosedWhileIdle_isNotUsed() throws Exception {
    start(List.of(List.of(OK, CLOSE), List.of(OK)));

    assertThat(get("GET")).isEqualTo("200 ok");
    assertThat(peer().closed.await(10, TimeUnit.SECONDS)).isTrue();
    // A streamed body cannot be sent twice: this passes only if the closed one is never tried.
    int size = UpstreamClient.HELD_BODY_BYTES + 1;
    UpstreamClient.Exchange put =
        client().send("PUT", "/b/k", HOST, new ByteArrayInputStream(new byte[size]), size);

    assertThat(put.head().status()).isEqualTo(200);
    assertThat(client().opened()).isEqualTo(2);
  }

  @Test
  void reusedConnectionClosedInsteadOfAnswering_heldBodyIsSentOnceMore() throws Exception {
    start(List.of(List.of(OK, DROP), List.of(OK)));

    assertThat(get("GET")).isEqualTo("200 ok");
    UpstreamClient.Exchange put =
        client().send("PUT", "/b/k", HOST, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);

    assertThat(put.head().status()).isEqualTo(200);
    assertThat(client().opened()).isEqualTo(2);
    assertThat(peer().requests).hasSize(3);
    assertThat(peer().requests.get(2))
        .startsWith("PUT /b/k HTTP/1.1")
        .contains("Content-Length: 3");
  }

  @Test
  void reusedConnectionClosedInsteadOfAnswering_streamedBodyIsNotSentAgain() throws Exception {
    start(List.of(List.of(OK, DROP), List.of(OK)));
    int size = UpstreamClient.HELD_BODY_BYTES + 1;

    assertThat(get("GET")).isEqualTo("200 ok");
    assertThatThrownBy(
            () ->
                client().send("PUT", "/b/k", HOST, new ByteArrayInputStream(new byte[size]), size))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not sent again");
    assertThat(client().opened()).isEqualTo(1);
  }

  @Test
  void reusedConnectionClosedInsteadOfAnswering_conditionalWriteIsNotSentAgain() throws Exception {
    // The store may have created the object before it dropped the connection: sent again, the
    // create would answer 412 for a write that landed.
    start(List.of(List.of(OK, DROP), List.of(OK)));
    List<Map.Entry<String, String>> conditional =
        new ArrayList<>(List.of(Map.entry("Host", "store"), Map.entry("If-None-Match", "*")));

    assertThat(get("GET")).isEqualTo("200 ok");
    assertThatThrownBy(
            () ->
                client().send("PUT", "/b/k", conditional, new ByteArrayInputStream(new byte[3]), 3))
        .isInstanceOf(IOException.class);
    assertThat(client().opened()).isEqualTo(1);
    assertThat(UpstreamClient.repeatable("POST", HOST)).isFalse();
    assertThat(UpstreamClient.repeatable("DELETE", HOST)).isTrue();
  }

  @Test
  void earlyAnswerOnAReusedConnection_isPassedBack_notTakenForAClosedOne() throws Exception {
    // The store answers the PUT from its head alone and closes with the body unread: the client's
    // write fails, and the answer is the store's, not a stale connection to retry or give up on.
    start(
        List.of(
            List.of(
                OK,
                EARLY
                    + "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n"
                    + "Content-Length: 8\r\n\r\ntoo big!")));
    int size = 16 << 20; // more than the sockets buffer: the write fails

    assertThat(get("GET")).isEqualTo("200 ok");
    UpstreamClient.Exchange put =
        client().send("PUT", "/b/k", HOST, new ByteArrayInputStream(new byte[size]), size);
    String body;
    try (InputStream in = put.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(put.head().status()).isEqualTo(413);
    assertThat(body).isEqualTo("too big!");
    assertThat(client().opened()).isEqualTo(1);
  }

  @Test
  void oversizedHead_isRefused() throws Exception {
    String big = "x".repeat(UpstreamAnswerHead.MAX_HEAD_BYTES);
    startOne(List.of("HTTP/1.1 200 OK\r\nx-big: " + big + "\r\nContent-Length: 0\r\n\r\n"));

    assertThatThrownBy(() -> get("GET"))
        .isInstanceOf(UpstreamAnswerHead.TooLarge.class)
        .hasMessageContaining("over " + UpstreamAnswerHead.MAX_HEAD_BYTES + " bytes");
  }

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** Closes the connection after the answers before it, without waiting for a request. */
  private static final String CLOSE = "close";

  /** Reads the next request, then closes the connection without answering it. */
  private static final String DROP = "drop";

  /** Prefix of an answer sent after the request's head alone; the connection then closes. */
  private static final String EARLY = "early:";

  private void startOne(List<String> answers) throws IOException {
    start(List.of(answers));
  }

  /** Starts a peer playing one script per connection, and a client of it. */
  private void start(List<List<String>> connections) throws IOException {
    peer = new Peer(connections);
    client =
        new UpstreamClient(
            URI.create("http://127.0.0.1:" + peer.server.getLocalPort()),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            8);
  }

  private UpstreamClient client() {
    return java.util.Objects.requireNonNull(client);
  }

  private Peer peer() {
    return java.util.Objects.requireNonNull(peer);
  }

  /** Status and body of a request without a body. */
  private String get(String method) throws IOException {
    UpstreamClient.Exchange answer = client().send(method, "/b/k", HOST, null, 0);
    try (InputStream body = answer.body()) {
      return answer.head().status() + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Plays a script of answers per accepted connection, one connection at a time. */
  private static final class Peer implements AutoCloseable {
    final ServerSocket server;
    final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final BlockingQueue<List<String>> scripts;

    Peer(List<List<String>> connections) throws IOException {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.scripts = new LinkedBlockingQueue<>(connections);
      Thread thread = new Thread(this::serve, "upstream-client-test-peer");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      try {
        for (List<String> script; (script = scripts.poll()) != null; ) {
          try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (String step : script) {
              if (step.equals(CLOSE)) {
                break;
              }
              boolean early = step.startsWith(EARLY);
              requests.add(readRequest(in, !early));
              if (step.equals(DROP)) {
                break;
              }
              if (early) {
                out.write(step.substring(EARLY.length()).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                break; // closed with the body unread
              }
              out.write(step.getBytes(StandardCharsets.ISO_8859_1));
              out.flush();
            }
          }
          closed.countDown();
        }
      } catch (IOException e) {
        // Closed by the test.
      }
    }

    /** A request's head and (if {@code body}) its Content-Length body, the head returned. */
    private static String readRequest(InputStream in, boolean body) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the client closed the connection");
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
      for (String line : lines) {
        if (body && line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          in.readNBytes(Integer.parseInt(line.substring(15).trim()));
        }
      }
      return text;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
