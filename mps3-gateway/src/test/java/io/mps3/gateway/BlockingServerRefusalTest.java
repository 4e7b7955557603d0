package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The front server refuses each head two servers could read two ways (design 0023): a raw socket
 * sends it, reads the refusal's status, and then the connection's end.
 */
class BlockingServerRefusalTest {

  private static final String HOST = "Host: gateway.test\r\n";

  private static TestRoutes routes;
  private static BlockingServer server;

  @BeforeAll
  static void start() throws Exception {
    routes = new TestRoutes();
    server = BlockingServer.start("127.0.0.1", 0, null, routes, 16);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> refusedHeads() {
    return Stream.of(
        refused("bare LF ends the request line", 400, "GET /echo HTTP/1.1\n" + HOST + "\r\n"),
        refused("bare LF ends a header", 400, "GET /echo HTTP/1.1\r\nHost: a\n\r\n"),
        refused("bare LF ends the head", 400, "GET /echo HTTP/1.1\r\n" + HOST + "\n"),
        refused("bare CR inside a header", 400, "GET /echo HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n"),
        refused("obsolete line folding", 400, get("X-A: b\r\n c\r\n")),
        refused("folding with a tab", 400, get("X-A: b\r\n\tc\r\n")),
        refused("space before the colon", 400, get("X-A : b\r\n")),
        refused("tab before the colon", 400, get("X-A\t: b\r\n")),
        refused("a name that is not a token", 400, get("X(A): b\r\n")),
        refused("an empty name", 400, get(": b\r\n")),
        refused("a line without a colon", 400, get("X-A b\r\n")),
        refused("a control character in a value", 400, get("X-A: b\u0001c\r\n")),
        refused("DEL in a value", 400, get("X-A: b\u007fc\r\n")),
        refused("NUL in a value", 400, get("X-A: b\u0000c\r\n")),
        refused("malformed UTF-8 in a value", 400, get("X-A: \u00ff\u00fe\r\n")),
        refused("two spaces in the request line", 400, "GET  /echo HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("a tab in the request line", 400, "GET\t/echo HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("no version", 400, "GET /echo\r\n" + HOST + "\r\n"),
        refused("a space after the version", 400, "GET /echo HTTP/1.1 \r\n" + HOST + "\r\n"),
        refused("HTTP/2.0", 400, "GET /echo HTTP/2.0\r\n" + HOST + "\r\n"),
        refused("a lowercase version", 400, "GET /echo http/1.1\r\n" + HOST + "\r\n"),
        refused("HTTP/0.9 style", 400, "GET /echo\r\n\r\n"),
        refused("a method that is not a token", 400, "GE(T /echo HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("absolute form", 400, "GET http://a/echo HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("authority form", 400, "CONNECT a:443 HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("* for GET", 400, "GET * HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("a non-ASCII target", 400, "GET /\u00e9 HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("a fragment", 400, "GET /echo#x HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("a control byte in the target", 400, "GET /a\u0001 HTTP/1.1\r\n" + HOST + "\r\n"),
        refused(
            "both framings",
            400,
            put("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n")),
        refused("two equal lengths", 400, put("Content-Length: 5\r\nContent-Length: 5\r\n", "")),
        refused("a listed length", 400, put("Content-Length: 5, 5\r\n", "hello")),
        refused("a signed length", 400, put("Content-Length: +5\r\n", "hello")),
        refused("a negative length", 400, put("Content-Length: -1\r\n", "")),
        refused("a hex length", 400, put("Content-Length: 0x5\r\n", "hello")),
        refused("an empty length", 400, put("Content-Length: \r\n", "")),
        refused("a length with a space inside", 400, put("Content-Length: 1 2\r\n", "")),
        refused("a 19-digit length", 400, put("Content-Length: 1000000000000000000\r\n", "")),
        refused("another coding", 501, put("Transfer-Encoding: gzip\r\n", "")),
        refused("identity", 501, put("Transfer-Encoding: identity\r\n", "")),
        refused("chunked after another", 501, put("Transfer-Encoding: gzip, chunked\r\n", "")),
        refused(
            "two coding fields",
            501,
            put("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "")),
        refused(
            "a coding on HTTP/1.0",
            400,
            "PUT /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        refused("no Host", 400, "GET /echo HTTP/1.1\r\n\r\n"),
        refused("two Hosts", 400, get("Host: other.test\r\n")),
        refused("another expectation", 417, get("Expect: 200-ok\r\n")),
        refused(
            "three empty lines first", 400, "\r\n\r\n\r\nGET /echo HTTP/1.1\r\n" + HOST + "\r\n"),
        refused("a head over 16 KiB", 431, get("X-Big: " + "a".repeat(16 * 1024) + "\r\n")),
        refused("101 header fields", 431, get("X-Many: a\r\n".repeat(100))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedHeads")
  void refusedHead_getsItsStatus_andTheConnectionCloses(String what, int status, byte[] request)
      throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(server.localPort())) {
      c.send(request);
      RawHttpConnection.Answer answer = c.read();
      assertThat(answer.status()).as(what).isEqualTo(status);
      assertThat(answer.header("connection")).isEqualTo("close");
      assertThat(answer.text()).contains("<Error><Code>");
      assertThat(c.closedByServer()).as("closed after " + what).isTrue();
    }
  }

  @Test
  void theLimitsThemselves_pass() throws Exception {
    String fields = "X-Many: a\r\n".repeat(99); // and Host: 100
    String big = "X-Big: " + "a".repeat(16 * 1024 - 200) + "\r\n";
    try (RawHttpConnection c = new RawHttpConnection(server.localPort())) {
      c.send(get(fields));
      assertThat(c.read().status()).isEqualTo(200);
      c.send(get(big));
      assertThat(c.read().status()).isEqualTo(200);
      c.send("\r\n\r\nGET /echo HTTP/1.1\r\n" + HOST + "\r\n"); // two stray empty lines
      assertThat(c.read().status()).isEqualTo(200);
      c.send("OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n");
      assertThat(c.read().text()).contains("method=OPTIONS\npath=*\n");
      c.send(get("X-Utf8: \u00c3\u00a9t\u00c3\u00a9\r\nX-Trim: \t spaced \t\r\n"));
      String echoed = c.read().text();
      assertThat(echoed).contains("x-utf8: \u00e9t\u00e9\n").contains("x-trim: spaced\n");
      c.send(get("Expect: 100-CONTINUE\r\n")); // no body: nothing to wait for
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  private static Arguments refused(String what, int status, String request) {
    return Arguments.of(what, status, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A GET to /echo with a Host and {@code fields} (each ending CR LF). */
  private static String get(String fields) {
    return "GET /echo HTTP/1.1\r\n" + HOST + fields + "\r\n";
  }

  /** A PUT to /echo with a Host, {@code fields} (each ending CR LF) and {@code body}. */
  private static String put(String fields, String body) {
    return "PUT /echo HTTP/1.1\r\n" + HOST + fields + "\r\n" + body;
  }
}
