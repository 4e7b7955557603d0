package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front server over TLS, with a keystore made by the JDK's keytool and {@link
 * TlsConfig#sslContext()}: a raw TLS socket and {@code java.net.http} each GET, while a connection
 * that never starts its handshake holds no one up.
 */
class BlockingServerTlsTest {

  private static final String PASSWORD = "front-test-password";

  @TempDir Path dir;

  @Test
  void tlsConnection_isServed_andAStalledHandshakeBlocksNoOne() throws Exception {
    Path keyStorePath = dir.resolve("gateway.p12");
    KeyStore keyStore = TestKeyStores.selfSigned(keyStorePath, PASSWORD);
    TlsConfig tls = new TlsConfig(keyStorePath, keyStore, PASSWORD);
    SSLContext trusting = TestKeyStores.trusting(keyStore);

    BlockingServer.Timeouts timeouts =
        // 3 s: a cold handshake under a loaded suite took over 500 ms.
        TestTimeouts.withHandshake(Duration.ofSeconds(3));
    try (BlockingServer server =
            BlockingServer.start("127.0.0.1", 0, tls.sslContext(), new TestRoutes(), 4, timeouts);
        Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.localPort())) {
      stalled.getOutputStream().write(0x16); // the first byte of a ClientHello, then nothing
      stalled.getOutputStream().flush();

      SSLSocket socket =
          (SSLSocket)
              trusting
                  .getSocketFactory()
                  .createSocket(InetAddress.getLoopbackAddress(), server.localPort());
      try (RawHttpConnection c = new RawHttpConnection(socket)) {
        c.send("GET /echo?tls HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawHttpConnection.Answer answer = c.read();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).contains("query=tls\n");
        c.send("PUT /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(c.read().text()).contains("length=3\n");
      }

      HttpClient https =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting).build();
      HttpResponse<String> get =
          https.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.localPort() + "/x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).contains("path=/x\n");

      stalled.setSoTimeout(10_000); // the handshake's deadline (3 s) closes it well before
      assertThat(endOf(stalled)).isTrue();
    }
  }

  /**
   * Whether the server ended the connection: closed it (after a TLS alert, maybe), or reset it on
   * the unread byte. A connection left open fails the read's timeout instead.
   */
  private static boolean endOf(Socket socket) throws Exception {
    try {
      socket.getInputStream().readAllBytes();
      return true;
    } catch (SocketException e) {
      return true;
    }
  }
}
