package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.GetResult;
import io.mps3.spi.PutOptions;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.LossyRelay;
import io.mps3.testkit.S3ProxyServer;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway serving https from the config's {@code tls} section: a self-signed PKCS12 keystore
 * made by the JDK's keytool, an STS exchange and a signed PUT and GET over https with a client that
 * trusts that certificate (and checks the host name against it), and the startup errors of a
 * missing keystore or a wrong password. One issuer, S3Proxy and gateway for the class.
 */
class GatewayTlsIT {

  private static final String PASSWORD = "tls-test-password-7f3a";

  /** Upstream clients in the https test, each making two exchanges. */
  private static final int CLIENTS = 5;

  @TempDir static Path dir;
  private static GatewayFixture f;
  private static HttpClient https;
  private static SSLContext trusted;

  @BeforeAll
  static void start() throws Exception {
    Path keyStore = dir.resolve("gateway.p12");
    KeyStore server = TestKeyStores.selfSigned(keyStore, PASSWORD);
    Files.writeString(dir.resolve("tls.password"), PASSWORD + "\n");
    f =
        GatewayFixture.start(
            dir,
            List.of("tls:", "  keyStore: gateway.p12", "  keyStorePassword: file:tls.password"));
    trusted = TestKeyStores.trusting(server);
    https = HttpClient.newBuilder().sslContext(trusted).build();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void stsAndS3_overHttps_withAClientThatTrustsTheCertificate() throws Exception {
    assertThat(f.gateway.endpoint().getScheme()).isEqualTo("https");
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=app"
            + "&DurationSeconds=900&RoleArn="
            + URLEncoder.encode(GatewayFixture.ROLE, StandardCharsets.UTF_8)
            + "&WebIdentityToken="
            + URLEncoder.encode(
                f.token("alice", "mps3-app", List.of(), 3600), StandardCharsets.UTF_8);
    HttpResponse<String> sts =
        https.send(
            HttpRequest.newBuilder(f.gateway.endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sts.statusCode()).as(sts.body()).isEqualTo(200);
    SignedRequests.Credentials alice =
        new SignedRequests.Credentials(
            element(sts.body(), "AccessKeyId"),
            element(sts.body(), "SecretAccessKey"),
            element(sts.body(), "SessionToken"));

    String key = "users/alice/over-tls";
    HttpResponse<String> put =
        https.send(
            SignedRequests.put(
                f.gateway.endpoint(),
                alice,
                GatewayFixture.BUCKET,
                key,
                "sealed",
                "sealed",
                Instant.now()),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> get =
        https.send(
            SignedRequests.get(
                f.gateway.endpoint(), alice, GatewayFixture.BUCKET, key, Instant.now(), false),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("sealed");
    GetResult stored = f.direct.get(GatewayFixture.BUCKET, key).join();
    assertThat(stored).isInstanceOf(GetResult.Found.class);
    assertThat(((GetResult.Found) stored).object().body())
        .isEqualTo("sealed".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMissingKeystoreOrAWrongPassword_isAStartupErrorNamingTheLine_withoutThePassword()
      throws Exception {
    String config = Files.readString(dir.resolve("gateway.yaml"), StandardCharsets.UTF_8);
    int line = (int) config.lines().takeWhile(l -> !l.startsWith("tls:")).count() + 2;
    assertThatThrownBy(() -> parse(config.replace("gateway.p12", "missing.p12"), Map.of()))
        .hasMessageStartingWith("gateway.yaml line " + line + ": tls.keyStore: cannot read ")
        .hasMessageContaining("missing.p12");
    String wrong = "not-" + PASSWORD;
    assertThatThrownBy(
            () ->
                parse(
                    config.replace("file:tls.password", "env:TLS_PASSWORD"),
                    Map.of("TLS_PASSWORD", wrong)))
        .hasMessageStartingWith(
            "gateway.yaml line " + (line + 1) + ": tls.keyStorePassword does not open")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(
            () -> parse(config.replace("file:tls.password", "env:TLS_PASSWORD"), Map.of()))
        .hasMessageContaining("environment variable TLS_PASSWORD is not set");
  }

  /**
   * The gateway's upstream client over https, with the gateway's https listener as its peer: the
   * certificate is checked (one the JVM does not trust is refused) and the connection kept alive.
   */
  @Test
  void upstreamClient_overHttps_checksTheCertificate_andKeepsTheConnection() throws Exception {
    java.net.URI endpoint = f.gateway.endpoint();
    List<Map.Entry<String, String>> host =
        List.of(Map.entry("Host", endpoint.getHost() + ":" + endpoint.getPort()));
    java.time.Duration timeout = java.time.Duration.ofSeconds(10);
    List<Integer> statuses = new java.util.ArrayList<>();
    List<Integer> opened = new java.util.ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) { // a TLS 1.3 ticket may come late: try a few
      try (UpstreamClient upstream =
          new UpstreamClient(endpoint, timeout, timeout, timeout, 4, trusted.getSocketFactory())) {
        for (int i = 0; i < 2; i++) {
          UpstreamClient.Exchange answer = upstream.send("GET", "/bucket/key", host, null, 0);
          try (InputStream body = answer.body()) {
            body.readAllBytes();
          }
          statuses.add(answer.head().status());
        }
        opened.add(upstream.opened());
      }
    }

    assertThat(statuses).hasSize(2 * CLIENTS).containsOnly(403); // unsigned: denied, over TLS
    assertThat(opened).containsOnly(1);
    try (UpstreamClient untrusting = new UpstreamClient(endpoint, timeout, timeout, timeout, 4)) {
      assertThatThrownBy(() -> untrusting.send("GET", "/bucket/key", host, null, 0))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  /**
   * The gateway in front of an https store: S3Proxy serving the same self-signed certificate, which
   * {@code upstream.trustedCertificates} names in a PEM file. A bucket, a PUT and a GET through the
   * (plain http) gateway reach the store over TLS; without the option the JVM does not trust the
   * store, and the caller gets 503. And over TLS the upstream client passes on the store's early
   * answer (a 1 GiB PUT with a wrong secret gets S3Proxy's 403) and ends a write the store stopped
   * reading (behind a relay) after its timeout.
   */
  @Test
  void anHttpsStore_withItsCertificateTrusted_takesABucketAPutAndAGet() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("gateway.p12"))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    Files.writeString(
        dir.resolve("store.pem"),
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(keys.getCertificate("gateway").getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    String config =
        Files.readString(dir.resolve("gateway.yaml"), StandardCharsets.UTF_8)
            .replace("tls:\n  keyStore: gateway.p12\n  keyStorePassword: file:tls.password\n", "");
    try (S3ProxyServer store =
        S3ProxyServer.startTransientHttps(dir.resolve("gateway.p12"), PASSWORD)) {
      String upstream = "  endpoint: " + store.endpoint();
      String toHttps = config.replace("  endpoint: " + f.upstream.endpoint(), upstream);
      String trusting = toHttps.replace(upstream, upstream + "\n  trustedCertificates: store.pem");
      try (Gateway trusts = Gateway.start(parse(trusting, Map.of()));
          Gateway doesNot = Gateway.start(parse(toHttps, Map.of()))) {
        HttpClient http = HttpClient.newHttpClient();
        SignedRequests.Credentials admin = assume(trusts.endpoint(), http, List.of("admin"));
        byte[] value = "over an https upstream".getBytes(StandardCharsets.UTF_8);
        GetResult read;
        try (S3ObjectStore client =
            S3ObjectStore.builder()
                .endpoint(trusts.endpoint())
                .region("us-east-1")
                .credentials(admin.accessKeyId(), admin.secret(), admin.token())
                .build()) {
          client.createBucket("tls-upstream").join();
          client.put("tls-upstream", "k", value, PutOptions.unconditional()).join();
          read = client.get("tls-upstream", "k").join();
        }
        HttpResponse<String> refused =
            http.send(
                SignedRequests.get(
                    doesNot.endpoint(), admin, "tls-upstream", "k", Instant.now(), false),
                HttpResponse.BodyHandlers.ofString());

        KeyStore storeCertificate = KeyStore.getInstance("PKCS12");
        storeCertificate.load(null, null);
        storeCertificate.setCertificateEntry("store", keys.getCertificate("gateway"));
        Upstream wrongSecret =
            new Upstream(
                new GatewayConfig.Upstream(
                    store.endpoint(),
                    "us-east-1",
                    S3ProxyServer.ACCESS_KEY,
                    "not-the-secret",
                    storeCertificate),
                java.time.Clock.systemUTC());
        Upstream.Answer early;
        String earlyBody;
        try {
          early =
              wrongSecret.send(
                  "PUT",
                  "/tls-upstream/early",
                  List.of(),
                  Map.of(),
                  UpstreamIT.zeros(),
                  1L << 30,
                  SigV4.UNSIGNED_PAYLOAD);
          try (InputStream in = early.body()) {
            earlyBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        } finally {
          wrongSecret.close();
        }

        // A store that stops reading, over TLS: the watchdog closes the plain channel under the
        // TLS socket's stuck write (S3Proxy behind a relay that stalls after the handshake).
        Throwable stalled;
        try (LossyRelay relay = LossyRelay.start(store.endpoint())) {
          java.net.URI relayed =
              java.net.URI.create("https://127.0.0.1:" + relay.endpoint().getPort());
          Upstream signing =
              new Upstream(
                  new GatewayConfig.Upstream(
                      relayed,
                      "us-east-1",
                      S3ProxyServer.ACCESS_KEY,
                      S3ProxyServer.SECRET_KEY,
                      storeCertificate),
                  java.time.Clock.systemUTC(),
                  new UpstreamClient(
                      relayed,
                      java.time.Duration.ofSeconds(10),
                      java.time.Duration.ofMillis(300),
                      java.time.Duration.ofSeconds(15),
                      4,
                      UpstreamTrust.socketFactory(storeCertificate)));
          relay.stallNextRequests(1, 100_000);
          try {
            stalled =
                org.assertj.core.api.Assertions.catchThrowable(
                    () ->
                        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                            java.time.Duration.ofSeconds(60), // a guard: TCP alone never gives up
                            () ->
                                signing.send(
                                    "PUT",
                                    "/tls-upstream/stalled",
                                    List.of(),
                                    Map.of(),
                                    UpstreamIT.zeros(),
                                    1L << 30,
                                    SigV4.UNSIGNED_PAYLOAD)));
          } finally {
            signing.close();
          }
        }

        assertThat(stalled).isInstanceOf(UpstreamClient.WriteStalled.class);
        assertThat(early.status()).isEqualTo(403);
        assertThat(earlyBody).contains("SignatureDoesNotMatch");
        assertThat(store.endpoint().getScheme()).isEqualTo("https");
        assertThat(read).isInstanceOf(GetResult.Found.class);
        assertThat(((GetResult.Found) read).object().body()).isEqualTo(value);
        assertThat(refused.statusCode()).isEqualTo(503);
      }
    }
    assertThatThrownBy(
            () ->
                parse(
                    config.replace(
                        "  accessKeyId:", "  trustedCertificates: none.pem\n  accessKeyId:"),
                    Map.of()))
        .hasMessageContaining("upstream.trustedCertificates is for an https endpoint");
  }

  /** Credentials from a gateway's STS for a caller with {@code roles}. */
  private static SignedRequests.Credentials assume(
      java.net.URI gateway, HttpClient client, List<String> roles) throws Exception {
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=app"
            + "&DurationSeconds=900&RoleArn="
            + URLEncoder.encode(GatewayFixture.ROLE, StandardCharsets.UTF_8)
            + "&WebIdentityToken="
            + URLEncoder.encode(f.token("root", "mps3-app", roles, 3600), StandardCharsets.UTF_8);
    HttpResponse<String> sts =
        client.send(
            HttpRequest.newBuilder(gateway)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sts.statusCode()).as(sts.body()).isEqualTo(200);
    return new SignedRequests.Credentials(
        element(sts.body(), "AccessKeyId"),
        element(sts.body(), "SecretAccessKey"),
        element(sts.body(), "SessionToken"));
  }

  private static GatewayConfig parse(String text, Map<String, String> environment) {
    return GatewayConfigLoader.parse(text, "gateway.yaml", dir, environment);
  }

  /** A TLS context that trusts the keystore's certificate and nothing else. */
  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    assertThat(m.find()).as("%s in %s", name, xml).isTrue();
    return m.group(1);
  }
}
