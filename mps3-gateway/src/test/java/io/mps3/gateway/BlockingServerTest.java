package io.mps3.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The front server's exchanges with well-formed requests: keep-alive, pipelining, bodies framed
 * both ways, streamed answers, HEAD, a handler that fails, and a real client ({@code
 * java.net.http}).
 */
class BlockingServerTest {

  private TestRoutes routes;
  private BlockingServer server;

  @BeforeEach
  void start() throws Exception {
    routes = new TestRoutes();
    server = BlockingServer.start("127.0.0.1", 0, null, routes, 16);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void get_andPutWithLength_onOneKeptAliveConnection() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send("GET /echo?a=1&b=%20 HTTP/1.1\r\nHost: gateway.test\r\nX-Two: 1\r\nX-Two: 2\r\n\r\n");
      RawHttpConnection.Answer get = c.read();
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.header("connection")).isNull();
      assertThat(get.header("server")).isNull();
      assertThat(get.header("date")).isNull();
      assertThat(get.text())
          .startsWith("method=GET\npath=/echo\nquery=a=1&b=%20\nlength=0\nremote=127.0.0.1\n")
          .contains("host: gateway.test\nx-two: 1\nx-two: 2\n");

      c.send("PUT /echo HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 11\r\n\r\nhello world");
      RawHttpConnection.Answer put = c.read();
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.text()).contains("method=PUT\n").contains("length=11\n");
    }
  }

  @Test
  void pipelinedRequests_inOneWrite_getTheirAnswersInOrder() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send(
          "PUT /echo?first HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
              + "GET /echo?second HTTP/1.1\r\nHost: a\r\n\r\n"
              + "GET /echo?third HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(c.read().text()).contains("query=first\nlength=3\n");
      assertThat(c.read().text()).contains("query=second\nlength=0\n");
      RawHttpConnection.Answer third = c.read();
      assertThat(third.text()).contains("query=third\n");
      assertThat(third.header("connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void chunkedRequestBody_isDecoded_extensionsAndTrailersDropped() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send(
          String.join(
              "",
              "PUT /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
              "5;name=value\r\nhello\r\n",
              "A \t;x\r\n0123456789\r\n",
              "0\r\nX-Trailer: dropped\r\n\r\n",
              "GET /echo?after HTTP/1.1\r\nHost: a\r\n\r\n"));
      RawHttpConnection.Answer answer = c.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).contains("length=15\n").doesNotContain("x-trailer");
      assertThat(c.read().text()).contains("query=after\n"); // the framing ended where it should
    }
  }

  @Test
  void malformedChunkedBody_failsTheRead_andTheConnection() throws Exception {
    String[] bodies = {
      "11111111111111111\r\n", // 17 hex digits
      "8000000000000000\r\n", // more than a long holds
      "5\r\nhelloX\r\n0\r\n\r\n", // no CR LF after the data
      "5\nhello\r\n0\r\n\r\n", // a bare LF after the size
      "\r\n", // no size
      "5;\u0001\r\nhello\r\n0\r\n\r\n", // a control byte in an extension
    };
    for (String body : bodies) {
      routes.failure.set(null);
      try (RawHttpConnection c = connect()) {
        c.send("PUT /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        RawHttpConnection.Answer answer = c.read();
        assertThat(answer.status()).as(body).isEqualTo(500);
        assertThat(routes.failure.get()).as(body).isNotNull();
        assertThat(c.closedByServer()).as(body).isTrue();
      }
    }
  }

  @Test
  void bodyEndingEarly_failsTheHandlersRead() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
      c.socket.shutdownOutput();
      assertThat(c.read().status()).isEqualTo(500);
      assertThat(routes.failure.get()).hasMessageContaining("inside the request body");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void expectContinue_theInterimAnswerComesOnlyWhenTheHandlerReads() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send("PUT /gate HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      routes.entered.await();
      assertThat(c.available()).as("nothing before the handler reads").isZero();
      routes.release.countDown();
      RawHttpConnection.Answer interim = c.read();
      assertThat(interim.status()).isEqualTo(100);
      assertThat(interim.headers()).isEmpty();
      c.send("hello");
      RawHttpConnection.Answer answer = c.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).contains("length=5\n");
      c.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n"); // and the connection stays usable
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  @Test
  void expectContinue_refusedWithoutReading_getsNoInterimAnswer_andCloses() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send(
          "PUT /deny HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(403);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void refusedLargeBodyWithoutExpect_isDrained_soTheCallerReadsTheWholeAnswer() throws Exception {
    byte[] body = new byte[512 * 1024];
    Arrays.fill(body, (byte) 'x');
    try (RawHttpConnection c = connect()) {
      c.send("PUT /deny HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int off = 0; off < body.length; off += 8192) {
                    c.output().write(body, off, 8192);
                  }
                  c.output().flush();
                } catch (java.io.IOException e) {
                  routes.failure.set(e);
                }
              });
      writer.start();
      RawHttpConnection.Answer denied = c.read();
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.text()).isEqualTo("<Error><Code>AccessDenied</Code></Error>");
      writer.join(10_000);
      assertThat(writer.isAlive()).isFalse();
      assertThat(routes.failure.get()).as("the body went out without a reset").isNull();
      c.send("GET /echo?again HTTP/1.1\r\nHost: a\r\n\r\n"); // drained whole: kept alive
      assertThat(c.read().text()).contains("query=again\n");
    }
  }

  @Test
  void head_keepsTheLengthSet_andSendsNoBody() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send("HEAD /sized HTTP/1.1\r\nHost: a\r\n\r\n");
      RawHttpConnection.Answer head = c.readHead();
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo("11");
      c.send("GET /sized HTTP/1.1\r\nHost: a\r\n\r\n"); // a body sent to HEAD would be read here
      assertThat(c.read().text()).isEqualTo("hello world");
      c.send("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n");
      RawHttpConnection.Answer streamed = c.readHead();
      assertThat(streamed.header("transfer-encoding")).isNull();
      c.send("GET /nocontent HTTP/1.1\r\nHost: a\r\n\r\n");
      RawHttpConnection.Answer noContent = c.read();
      assertThat(noContent.status()).isEqualTo(204);
      assertThat(noContent.header("content-length")).isNull();
      c.send("GET /sized HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().text()).isEqualTo("hello world");
    }
  }

  @Test
  void streamedAnswerWithoutLength_isChunked_orCloseDelimitedOnHttp10() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
      RawHttpConnection.Answer answer = c.read();
      assertThat(answer.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(answer.text()).isEqualTo("hello world");
      c.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
    }
    try (RawHttpConnection c = connect()) {
      c.send("GET /stream HTTP/1.0\r\n\r\n");
      RawHttpConnection.Answer answer = c.read(); // read to the connection's end
      assertThat(answer.header("transfer-encoding")).isNull();
      assertThat(answer.header("connection")).isEqualTo("close");
      assertThat(answer.text()).isEqualTo("hello world");
    }
  }

  @Test
  void streamedAnswerShortOfItsLength_closesTheConnection_andLongerFails() throws Exception {
    try (RawHttpConnection c = connect()) {
      c.send("GET /short HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.line()).isEqualTo("HTTP/1.1 200 OK");
      while (!c.line().isEmpty()) {}
      assertThat(new String(c.readToEnd(), UTF_8)).isEqualTo("12345");
    }
    try (RawHttpConnection c = connect()) {
      c.send("GET /long HTTP/1.1\r\nHost: a\r\n\r\n");
      byte[] all = c.readToEnd(); // whatever went out, then the end
      assertThat(new String(all, UTF_8)).doesNotContain("12345");
      assertThat(routes.failure.get()).hasMessageContaining("more answer body");
    }
  }

  @Test
  void handlerFailingBeforeAnswering_orSettingAHeaderWithCrLf_gets500_andTheConnectionCloses()
      throws Exception {
    for (String path : new String[] {"/fail", "/silent", "/split"}) {
      try (RawHttpConnection c = connect()) {
        c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        RawHttpConnection.Answer answer = c.read();
        assertThat(answer.status()).as(path).isEqualTo(500);
        assertThat(answer.text()).contains("<Code>InternalError</Code>");
        assertThat(answer.header("set-cookie")).isNull();
        assertThat(c.closedByServer()).as(path).isTrue();
      }
    }
  }

  @Test
  void connectionClose_fromEitherSide_orHttp10_endsTheConnection() throws Exception {
    String[] requests = {
      "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n",
      "GET /close HTTP/1.1\r\nHost: a\r\n\r\n",
      "GET /echo HTTP/1.0\r\n\r\n",
    };
    for (String request : requests) {
      try (RawHttpConnection c = connect()) {
        c.send(request);
        RawHttpConnection.Answer answer = c.read();
        assertThat(answer.status()).as(request).isEqualTo(200);
        assertThat(answer.header("connection")).as(request).isEqualTo("close");
        assertThat(c.closedByServer()).as(request).isTrue();
      }
    }
  }

  @Test
  void javaNetHttpClient_getsAndPuts() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI base = URI.create("http://127.0.0.1:" + server.localPort());
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(base.resolve("/echo?x=1")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).contains("method=GET\npath=/echo\nquery=x=1\n");
    byte[] body = new byte[200_000];
    HttpResponse<String> put =
        client.send(
            HttpRequest.newBuilder(base.resolve("/echo"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body()).contains("method=PUT\n").contains("length=200000\n");
    HttpResponse<String> streamed =
        client.send(
            HttpRequest.newBuilder(base.resolve("/stream")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(streamed.body()).isEqualTo("hello world");
  }

  private RawHttpConnection connect() throws Exception {
    return new RawHttpConnection(server.localPort());
  }
}
