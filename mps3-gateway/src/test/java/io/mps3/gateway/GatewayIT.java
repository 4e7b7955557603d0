package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.LossyRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

/**
 * The gateway between real parts: an OpenID issuer in this JVM (mock-oauth2-server), S3Proxy as the
 * upstream store (checking the gateway's signatures), and the MPS3 Java client signing with the
 * temporary credentials. One issuer, one S3Proxy and one gateway for the class.
 */
class GatewayIT {

  private static final String BUCKET = GatewayFixture.BUCKET;
  private static final String ROLE = GatewayFixture.ROLE;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static GatewayFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = GatewayFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void client_putsGetsListsAndCreatesConditionally_throughTheGateway() throws Exception {
    try (S3ObjectStore alice = f.client(f.assume("alice", List.of()))) {
      byte[] body = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
      PutOutcome put =
          alice.put(BUCKET, "users/alice/client/a b+c", body, PutOptions.unconditional()).join();
      assertThat(put).isInstanceOf(PutOutcome.Written.class);
      String etag = ((PutOutcome.Written) put).etag();

      GetResult got = alice.get(BUCKET, "users/alice/client/a b+c").join();
      assertThat(got).isInstanceOf(GetResult.Found.class);
      assertThat(((GetResult.Found) got).object().body()).isEqualTo(body);
      assertThat(((GetResult.Found) got).object().metadata().etag()).isEqualTo(etag);
      assertThat(((GetResult.Found) got).serverDate()).isNotNull();
      assertThat(alice.get(BUCKET, "users/alice/client/a b+c", GetOptions.ifNoneMatch(etag)).join())
          .isInstanceOf(GetResult.NotModified.class);
      assertThat(alice.get(BUCKET, "users/alice/client/missing").join())
          .isInstanceOf(GetResult.NotFound.class);
      assertThat(alice.head(BUCKET, "users/alice/client/a b+c").join()).isPresent();

      assertThat(alice.put(BUCKET, "users/alice/client/slot", body, PutOptions.ifAbsent()).join())
          .isInstanceOf(PutOutcome.Written.class);
      assertThat(alice.put(BUCKET, "users/alice/client/slot", body, PutOptions.ifAbsent()).join())
          .isInstanceOf(PutOutcome.PreconditionFailed.class);

      List<String> keys =
          alice.list(BUCKET, ListRequest.prefix("users/alice/client/")).join().objects().stream()
              .map(ObjectMetadata::key)
              .toList();
      assertThat(keys).containsExactly("users/alice/client/a b+c", "users/alice/client/slot");

      alice.delete(BUCKET, "users/alice/client/slot").join();
      assertThat(f.direct.head(BUCKET, "users/alice/client/slot").join()).isEmpty();
    }
  }

  @Test
  void awsSdkWebIdentityProvider_feedsTheClient_andLargeBodiesStreamBothWays() throws Exception {
    Path tokenFile = f.dir.resolve("web-identity-token");
    Files.writeString(tokenFile, f.token("dave", "mps3-app", List.of(), 3600));
    byte[] large = new byte[1024 * 1024 + 17];
    new SecureRandom().nextBytes(large);
    try (StsClient stsClient =
            StsClient.builder()
                .endpointOverride(f.gateway.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        StsWebIdentityTokenFileCredentialsProvider web =
            StsWebIdentityTokenFileCredentialsProvider.builder()
                .stsClient(stsClient)
                .roleArn(ROLE)
                .roleSessionName("sdk")
                .webIdentityTokenFile(tokenFile)
                .build();
        S3ObjectStore dave =
            S3ObjectStore.builder()
                .endpoint(f.gateway.endpoint())
                .region("us-east-1")
                .credentialsProvider(web)
                .build()) {
      assertThat(dave.put(BUCKET, "users/dave/large", large, PutOptions.unconditional()).join())
          .isInstanceOf(PutOutcome.Written.class);
      GetResult got = dave.get(BUCKET, "users/dave/large").join();
      assertThat(((GetResult.Found) got).object().body()).isEqualTo(large);
    }
  }

  @Test
  void presignedUrl_readsWhileValid_andIsRefusedAfterItsExpiry() throws Exception {
    SignedRequests.Credentials credentials = f.assume("erin", List.of());
    f.direct.put(BUCKET, "rooms/presigned", new byte[] {42}, PutOptions.unconditional()).join();
    URI valid =
        SignedRequests.presignedGet(
            f.gateway.endpoint(), credentials, BUCKET, "rooms/presigned", Instant.now(), 60);
    HttpResponse<byte[]> read =
        HTTP.send(HttpRequest.newBuilder(valid).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).containsExactly(42);
    URI expired =
        SignedRequests.presignedGet(
            f.gateway.endpoint(),
            credentials,
            BUCKET,
            "rooms/presigned",
            Instant.now().minusSeconds(120),
            60);
    HttpResponse<String> refused = f.send(HttpRequest.newBuilder(expired).build());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("AccessDenied").contains("presigned URL is not valid");
  }

  @Test
  void writeOutsideTheCallersRules_isDenied_andLeavesTheBucketUnchanged() throws Exception {
    try (S3ObjectStore alice = f.client(f.assume("alice", List.of()))) {
      assertThatThrownBy(
              () ->
                  alice
                      .put(BUCKET, "users/bob/x", new byte[] {1}, PutOptions.unconditional())
                      .join())
          .hasMessageContaining("AccessDenied");
    }
    assertThat(f.direct.head(BUCKET, "users/bob/x").join()).isEmpty();
    try (S3ObjectStore admin = f.client(f.assume("root", List.of("admin")))) {
      assertThat(
              admin.put(BUCKET, "users/bob/x", new byte[] {1}, PutOptions.unconditional()).join())
          .isInstanceOf(PutOutcome.Written.class);
    }
  }

  @Test
  void sts_refusesExpiredWrongAudienceAndWrongRole_withStsErrors() throws Exception {
    String expired = f.token("alice", "mps3-app", List.of(), -600);
    HttpResponse<String> answer = f.sts(expired, ROLE);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("<Code>ExpiredTokenException</Code>")
        .doesNotContain(expired);

    answer = f.sts(f.token("alice", "another-app", List.of(), 3600), ROLE);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidIdentityToken</Code>");

    answer = f.sts(f.token("alice", "mps3-app", List.of(), 3600), "arn:aws:iam::1:role/other");
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("<Code>AccessDenied</Code>");

    HttpResponse<String> malformed =
        f.send(
            HttpRequest.newBuilder(f.gateway.endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=%ZZ"))
                .build());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("<Code>MalformedQueryString</Code>");

    String forged = f.token("alice", "mps3-app", List.of(), 3600);
    forged = forged.substring(0, forged.length() - 4) + "AAAA";
    answer = f.sts(forged, ROLE);
    assertThat(answer.body()).contains("<Code>InvalidIdentityToken</Code>").contains("signature");
  }

  @Test
  void requestsWithoutSessionToken_areDenied() throws Exception {
    HttpResponse<String> anonymous =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(f.gateway.endpoint() + "/" + BUCKET + "/users/a"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>").contains("not signed");

    SignedRequests.Credentials credentials = f.assume("alice", List.of());
    try (S3ObjectStore tokenless =
        S3ObjectStore.builder()
            .endpoint(f.gateway.endpoint())
            .region("us-east-1")
            .credentials(credentials.accessKeyId(), credentials.secret())
            .build()) {
      assertThatThrownBy(
              () ->
                  tokenless
                      .put(BUCKET, "users/alice/x", new byte[] {1}, PutOptions.unconditional())
                      .join())
          .hasMessageContaining("AccessDenied");
    }
    assertThat(f.direct.head(BUCKET, "users/alice/x").join()).isEmpty();
  }

  @Test
  void tamperedSignatureOrReplayOutsideTheWindow_isDenied_andLeavesTheBucketUnchanged()
      throws Exception {
    SignedRequests.Credentials credentials = f.assume("alice", List.of());
    URI endpoint = f.gateway.endpoint();
    HttpResponse<String> tampered =
        f.send(
            SignedRequests.tamperedPut(
                endpoint, credentials, BUCKET, "users/alice/t", "x", Instant.now()));
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.body()).contains("AccessDenied").contains("signature does not match");

    Instant stale = Instant.now().minus(Duration.ofMinutes(20));
    HttpResponse<String> replayed =
        f.send(SignedRequests.put(endpoint, credentials, BUCKET, "users/alice/t", "x", "x", stale));
    assertThat(replayed.statusCode()).isEqualTo(403);
    assertThat(replayed.body()).contains("AccessDenied").contains("not within 15 minutes");
    assertThat(replayed.body())
        .doesNotContain(credentials.token())
        .doesNotContain(credentials.secret());
    assertThat(f.direct.head(BUCKET, "users/alice/t").join()).isEmpty();

    HttpResponse<String> noBucket =
        f.send(
            SignedRequests.get(endpoint, credentials, "no-such-bucket", "k", Instant.now(), false));
    assertThat(noBucket.statusCode()).as("the store's own error passes").isEqualTo(404);
    assertThat(noBucket.body()).contains("<Code>NoSuchBucket</Code>");
  }

  @Test
  void bodyUnlikeItsSignedHash_isRefused_andNotStored() throws Exception {
    SignedRequests.Credentials credentials = f.assume("alice", List.of());
    URI endpoint = f.gateway.endpoint();
    HttpResponse<String> swapped =
        f.send(
            SignedRequests.put(
                endpoint, credentials, BUCKET, "users/alice/hash", "evil", "good", Instant.now()));
    assertThat(swapped.statusCode()).isEqualTo(400);
    assertThat(swapped.body()).contains("XAmzContentSHA256Mismatch");
    assertThat(f.direct.head(BUCKET, "users/alice/hash").join()).isEmpty();

    HttpResponse<String> honest =
        f.send(
            SignedRequests.put(
                endpoint, credentials, BUCKET, "users/alice/hash", "good", "good", Instant.now()));
    assertThat(honest.statusCode()).isEqualTo(200);
    assertThat(f.direct.head(BUCKET, "users/alice/hash").join()).isPresent();
  }

  @Test
  void secondGateway_servesTheSameSession_andRefusesItOnceExpired() throws Exception {
    SignedRequests.Credentials credentials = f.assume("alice", List.of());
    f.direct.put(BUCKET, "rooms/1", new byte[] {7}, PutOptions.unconditional()).join();
    try (Gateway second = Gateway.start(f.config);
        S3ObjectStore client =
            S3ObjectStore.builder()
                .endpoint(second.endpoint())
                .region("us-east-1")
                .credentials(credentials.accessKeyId(), credentials.secret(), credentials.token())
                .build()) {
      assertThat(client.get(BUCKET, "rooms/1").join()).isInstanceOf(GetResult.Found.class);
    }
    Duration later = Duration.ofHours(2);
    try (Gateway future = Gateway.start(f.config, Clock.offset(Clock.systemUTC(), later))) {
      HttpResponse<String> expired =
          f.send(
              SignedRequests.put(
                  future.endpoint(),
                  credentials,
                  BUCKET,
                  "users/alice/late",
                  "x",
                  "x",
                  Instant.now().plus(later)));
      assertThat(expired.statusCode()).isEqualTo(403);
      assertThat(expired.body()).contains("session token expired");
    }
    assertThat(f.direct.head(BUCKET, "users/alice/late").join()).isEmpty();
  }

  @Test
  void revokedIdentity_isRefusedByAGatewayWithTheNewConfig_andGetsNoNewSession() throws Exception {
    SignedRequests.Credentials mallory = f.assume("mallory", List.of());
    SignedRequests.Credentials alice = f.assume("alice", List.of());
    GatewayConfig revoking =
        f.configWith(
            yaml ->
                yaml.replace(
                    "  sealingKeys:", "  revoked:\n    - subject: mallory\n  sealingKeys:"));
    try (Gateway gateway = Gateway.start(revoking)) {
      HttpResponse<String> refused =
          f.send(
              SignedRequests.put(
                  gateway.endpoint(), mallory, BUCKET, "users/mallory/x", "x", "x", Instant.now()));
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("AccessDenied", "sessions of this identity are revoked");
      HttpResponse<String> others =
          f.send(
              SignedRequests.put(
                  gateway.endpoint(), alice, BUCKET, "users/alice/y", "y", "y", Instant.now()));
      assertThat(others.statusCode()).as(others.body()).isEqualTo(200);
      HttpResponse<String> sts =
          f.sts(gateway.endpoint(), f.token("mallory", "mps3-app", List.of(), 3600), ROLE);
      assertThat(sts.statusCode()).isEqualTo(403);
      assertThat(sts.body()).contains("AccessDenied").doesNotContain("SecretAccessKey");
    }
    assertThat(f.direct.head(BUCKET, "users/mallory/x").join()).isEmpty();
    // The gateway started without the revocation still serves the session: each one must restart.
    HttpResponse<String> before =
        f.send(
            SignedRequests.put(
                f.gateway.endpoint(), mallory, BUCKET, "users/mallory/x", "x", "x", Instant.now()));
    assertThat(before.statusCode()).isEqualTo(200);
  }

  @Test
  void aStoreAnswerThatBreaksOff_isAServiceUnavailable_notAnAnswerCutShort() throws Exception {
    f.direct.put(BUCKET, "rooms/cut", new byte[8 * 1024], PutOptions.unconditional()).join();
    SignedRequests.Credentials alice = f.assume("alice", List.of());
    try (LossyRelay relay = LossyRelay.start(f.upstream.endpoint())) {
      Path audit = dir.resolve("cutting-audit.jsonl");
      GatewayConfig cutting =
          f.configWith(
              yaml ->
                  yaml.replace(
                          "  endpoint: " + f.upstream.endpoint(), "  endpoint: " + relay.endpoint())
                      + "audit:\n  file: "
                      + audit
                      + "\n");
      try (Gateway gateway = Gateway.start(cutting)) {
        relay.cutNextAnswers(1, 4096); // past the head, within the 8 KiB body
        HttpResponse<String> cut =
            f.send(
                SignedRequests.get(
                    gateway.endpoint(), alice, BUCKET, "rooms/cut", Instant.now(), false));
        assertThat(cut.statusCode()).isEqualTo(503);
        assertThat(cut.body()).contains("ServiceUnavailable", "answer broke off");
        assertThat(Files.readString(audit)).contains("\"failed\"", "answer broke off");
        HttpResponse<String> whole =
            f.send(
                SignedRequests.get(
                    gateway.endpoint(), alice, BUCKET, "rooms/cut", Instant.now(), false));
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).hasSize(8 * 1024);
      }
    }
  }

  @Test
  void corsPreflight_answersConfiguredOriginsOnly_andJwksIsFetchedOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      f.assume("carol" + i, List.of());
    }
    int jwksFetches = 0;
    for (RecordedRequest r; (r = f.recorded()) != null; ) {
      if (String.valueOf(r.getPath()).endsWith("/jwks")) {
        jwksFetches++;
      }
    }
    assertThat(jwksFetches).isEqualTo(1);

    HttpResponse<String> allowed = f.send(preflight("http://app.example"));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://app.example");
    assertThat(f.send(preflight("http://evil.example")).statusCode()).isEqualTo(403);
  }

  /**
   * A store that answers a PUT before it has read the body, and closes: here S3Proxy refusing the
   * signature of a gateway given a wrong upstream secret. The caller gets the store's 403 through
   * the gateway, not the 503 of an answer lost to the failed write (16 MiB: more than the sockets
   * buffer, so the gateway's write does fail). The caller is a plain socket that reads the answer
   * after its own write failed, as HTTP/1.1 clients should (java.net.http gives up on the answer
   * when its write fails, which it may: the gateway closes without reading the rest).
   */
  @Test
  void aStoresEarlyAnswer_reachesTheCaller() throws Exception {
    String config =
        Files.readString(dir.resolve("gateway.yaml"), StandardCharsets.UTF_8)
            .replace("secretAccessKey: file:upstream.secret", "secretAccessKey: env:WRONG");
    try (Gateway wrongSecret =
        Gateway.start(
            GatewayConfigLoader.parse(
                config, "gateway.yaml", dir, java.util.Map.of("WRONG", "not-the-secret")))) {
      URI endpoint = wrongSecret.endpoint();
      HttpRequest signed = // a signed hash would have S3Proxy read the body first
          SignedRequests.unsignedPut(
              endpoint,
              f.assume("alice", List.of()),
              BUCKET,
              "users/alice/early",
              "",
              Instant.now());
      long length = 16 << 20;
      StringBuilder head =
          new StringBuilder("PUT " + signed.uri().getRawPath() + " HTTP/1.1\r\n")
              .append("Host: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n");
      signed
          .headers()
          .map()
          .forEach((name, values) -> values.forEach(v -> head.append(name + ": " + v + "\r\n")));
      head.append("Content-Length: " + length + "\r\n\r\n");
      String answer;
      try (java.net.Socket caller = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
        caller.setSoTimeout(30_000);
        java.io.OutputStream out = caller.getOutputStream();
        try {
          out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
          byte[] chunk = new byte[64 * 1024];
          for (long sent = 0; sent < length; sent += chunk.length) {
            out.write(chunk);
          }
        } catch (java.io.IOException e) {
          // The gateway answered and closed before it took the whole body: read its answer.
        }
        answer = answerText(caller.getInputStream());
      }

      assertThat(answer).startsWith("HTTP/1.1 403 ").contains("<Code>SignatureDoesNotMatch</Code>");
    }
  }

  /** What came back on a connection: up to the end of an error document, its end, or a reset. */
  private static String answerText(java.io.InputStream in) {
    java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        read.write(buffer, 0, n);
        if (read.toString(StandardCharsets.ISO_8859_1).contains("</Error>")) {
          break;
        }
      }
    } catch (java.io.IOException e) {
      // reset after the answer: what was read is the answer
    }
    return read.toString(StandardCharsets.ISO_8859_1);
  }

  private static HttpRequest preflight(String origin) {
    return HttpRequest.newBuilder(URI.create(f.gateway.endpoint() + "/" + BUCKET + "/rooms/1"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .build();
  }
}
