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
import io.mps3.testkit.S3ProxyServer;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
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

  private static final String BUCKET = "gateway-it";
  private static final String ROLE = "arn:aws:iam::000000000000:role/mps3-user";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static MockOAuth2Server issuer;
  private static S3ProxyServer upstream;
  private static S3ObjectStore direct;
  private static Gateway gateway;
  private static GatewayConfig config;

  @BeforeAll
  static void start() throws Exception {
    // The three slow starts (the issuer's Kotlin and RSA key, S3Proxy, CEL's environment) overlap.
    CompletableFuture<S3ProxyServer> s3proxy =
        CompletableFuture.supplyAsync(S3ProxyServer::startTransient);
    CompletableFuture<?> cel = CompletableFuture.supplyAsync(Rules::warmUp);
    issuer = new MockOAuth2Server();
    issuer.start();
    upstream = s3proxy.join();
    cel.join();
    direct = upstream.storeBuilder().build();
    direct.createBucket(BUCKET).join();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.writeString(dir.resolve("sealing.key"), Base64.getEncoder().encodeToString(key));
    Files.writeString(dir.resolve("upstream.secret"), S3ProxyServer.SECRET_KEY);
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "listen: 127.0.0.1:0",
            "sts:",
            "  roleArns: [" + ROLE + "]",
            "  sessionClaims: [roles]",
            "  sealingKeys:",
            "    - id: k1",
            "      secret: file:sealing.key",
            "issuers:",
            "  - issuer: " + issuer.issuerUrl("default"),
            "    audiences: [mps3-app]",
            "upstream:",
            "  endpoint: " + upstream.endpoint(),
            "  accessKeyId: " + S3ProxyServer.ACCESS_KEY,
            "  secretAccessKey: file:upstream.secret",
            "rules:",
            "  - name: everyone-reads",
            "    allow: request.operation in ['GetObject', 'HeadObject', 'ListObjectsV2']",
            "  - name: own-keys",
            "    allow: >-",
            "      request.operation in ['PutObject', 'DeleteObject']",
            "      && request.key.startsWith('users/' + claims.sub + '/')",
            "  - name: admins",
            "    allow: \"'admin' in claims.roles\"",
            "cors:",
            "  allowedOrigins: [http://app.example]",
            ""));
    config = GatewayConfigLoader.load(file, Map.of());
    gateway = Gateway.start(config);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    direct.close();
    upstream.close();
    issuer.shutdown();
  }

  @Test
  void client_putsGetsListsAndCreatesConditionally_throughTheGateway() throws Exception {
    try (S3ObjectStore alice = client(assume("alice", List.of()))) {
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
      assertThat(direct.head(BUCKET, "users/alice/client/slot").join()).isEmpty();
    }
  }

  @Test
  void awsSdkWebIdentityProvider_feedsTheClient_andLargeBodiesStreamBothWays() throws Exception {
    Path tokenFile = dir.resolve("web-identity-token");
    Files.writeString(tokenFile, token("dave", "mps3-app", List.of(), 3600));
    byte[] large = new byte[1024 * 1024 + 17];
    new SecureRandom().nextBytes(large);
    try (StsClient sts =
            StsClient.builder()
                .endpointOverride(gateway.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        StsWebIdentityTokenFileCredentialsProvider web =
            StsWebIdentityTokenFileCredentialsProvider.builder()
                .stsClient(sts)
                .roleArn(ROLE)
                .roleSessionName("sdk")
                .webIdentityTokenFile(tokenFile)
                .build();
        S3ObjectStore dave =
            S3ObjectStore.builder()
                .endpoint(gateway.endpoint())
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
    SignedRequests.Credentials credentials = assume("erin", List.of());
    direct.put(BUCKET, "rooms/presigned", new byte[] {42}, PutOptions.unconditional()).join();
    URI valid =
        SignedRequests.presignedGet(
            gateway.endpoint(), credentials, BUCKET, "rooms/presigned", Instant.now(), 60);
    HttpResponse<byte[]> read =
        HTTP.send(HttpRequest.newBuilder(valid).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).containsExactly(42);
    URI expired =
        SignedRequests.presignedGet(
            gateway.endpoint(),
            credentials,
            BUCKET,
            "rooms/presigned",
            Instant.now().minusSeconds(120),
            60);
    HttpResponse<String> refused = send(HttpRequest.newBuilder(expired).build());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("AccessDenied").contains("presigned URL is not valid");
  }

  @Test
  void writeOutsideTheCallersRules_isDenied_andLeavesTheBucketUnchanged() throws Exception {
    try (S3ObjectStore alice = client(assume("alice", List.of()))) {
      assertThatThrownBy(
              () ->
                  alice
                      .put(BUCKET, "users/bob/x", new byte[] {1}, PutOptions.unconditional())
                      .join())
          .hasMessageContaining("AccessDenied");
    }
    assertThat(direct.head(BUCKET, "users/bob/x").join()).isEmpty();
    try (S3ObjectStore admin = client(assume("root", List.of("admin")))) {
      assertThat(
              admin.put(BUCKET, "users/bob/x", new byte[] {1}, PutOptions.unconditional()).join())
          .isInstanceOf(PutOutcome.Written.class);
    }
  }

  @Test
  void sts_refusesExpiredWrongAudienceAndWrongRole_withStsErrors() throws Exception {
    String expired = token("alice", "mps3-app", List.of(), -600);
    HttpResponse<String> answer = sts(expired, ROLE);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body())
        .contains("<Code>ExpiredTokenException</Code>")
        .doesNotContain(expired);

    answer = sts(token("alice", "another-app", List.of(), 3600), ROLE);
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidIdentityToken</Code>");

    answer = sts(token("alice", "mps3-app", List.of(), 3600), "arn:aws:iam::1:role/other");
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("<Code>AccessDenied</Code>");

    String forged = token("alice", "mps3-app", List.of(), 3600);
    forged = forged.substring(0, forged.length() - 4) + "AAAA";
    answer = sts(forged, ROLE);
    assertThat(answer.body()).contains("<Code>InvalidIdentityToken</Code>").contains("signature");
  }

  @Test
  void requestsWithoutSessionToken_areDenied() throws Exception {
    HttpResponse<String> anonymous =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/" + BUCKET + "/users/a"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>").contains("not signed");

    SignedRequests.Credentials credentials = assume("alice", List.of());
    try (S3ObjectStore tokenless =
        S3ObjectStore.builder()
            .endpoint(gateway.endpoint())
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
    assertThat(direct.head(BUCKET, "users/alice/x").join()).isEmpty();
  }

  @Test
  void tamperedSignatureOrReplayOutsideTheWindow_isDenied_andLeavesTheBucketUnchanged()
      throws Exception {
    SignedRequests.Credentials credentials = assume("alice", List.of());
    URI endpoint = gateway.endpoint();
    HttpResponse<String> tampered =
        send(
            SignedRequests.tamperedPut(
                endpoint, credentials, BUCKET, "users/alice/t", "x", Instant.now()));
    assertThat(tampered.statusCode()).isEqualTo(403);
    assertThat(tampered.body()).contains("AccessDenied").contains("signature does not match");

    Instant stale = Instant.now().minus(Duration.ofMinutes(20));
    HttpResponse<String> replayed =
        send(SignedRequests.put(endpoint, credentials, BUCKET, "users/alice/t", "x", "x", stale));
    assertThat(replayed.statusCode()).isEqualTo(403);
    assertThat(replayed.body()).contains("AccessDenied").contains("not within 15 minutes");
    assertThat(replayed.body())
        .doesNotContain(credentials.token())
        .doesNotContain(credentials.secret());
    assertThat(direct.head(BUCKET, "users/alice/t").join()).isEmpty();

    HttpResponse<String> noBucket =
        send(
            SignedRequests.get(endpoint, credentials, "no-such-bucket", "k", Instant.now(), false));
    assertThat(noBucket.statusCode()).as("the store's own error passes").isEqualTo(404);
    assertThat(noBucket.body()).contains("<Code>NoSuchBucket</Code>");
  }

  @Test
  void bodyUnlikeItsSignedHash_isRefused_andNotStored() throws Exception {
    SignedRequests.Credentials credentials = assume("alice", List.of());
    URI endpoint = gateway.endpoint();
    HttpResponse<String> swapped =
        send(
            SignedRequests.put(
                endpoint, credentials, BUCKET, "users/alice/hash", "evil", "good", Instant.now()));
    assertThat(swapped.statusCode()).isEqualTo(400);
    assertThat(swapped.body()).contains("XAmzContentSHA256Mismatch");
    assertThat(direct.head(BUCKET, "users/alice/hash").join()).isEmpty();

    HttpResponse<String> honest =
        send(
            SignedRequests.put(
                endpoint, credentials, BUCKET, "users/alice/hash", "good", "good", Instant.now()));
    assertThat(honest.statusCode()).isEqualTo(200);
    assertThat(direct.head(BUCKET, "users/alice/hash").join()).isPresent();
  }

  @Test
  void secondGateway_servesTheSameSession_andRefusesItOnceExpired() throws Exception {
    SignedRequests.Credentials credentials = assume("alice", List.of());
    direct.put(BUCKET, "rooms/1", new byte[] {7}, PutOptions.unconditional()).join();
    try (Gateway second = Gateway.start(config);
        S3ObjectStore client =
            S3ObjectStore.builder()
                .endpoint(second.endpoint())
                .region("us-east-1")
                .credentials(credentials.accessKeyId(), credentials.secret(), credentials.token())
                .build()) {
      assertThat(client.get(BUCKET, "rooms/1").join()).isInstanceOf(GetResult.Found.class);
    }
    Duration later = Duration.ofHours(2);
    try (Gateway future = Gateway.start(config, Clock.offset(Clock.systemUTC(), later))) {
      HttpResponse<String> expired =
          send(
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
    assertThat(direct.head(BUCKET, "users/alice/late").join()).isEmpty();
  }

  @Test
  void corsPreflight_answersConfiguredOriginsOnly_andJwksIsFetchedOnce() throws Exception {
    for (int i = 0; i < 3; i++) {
      assume("carol" + i, List.of());
    }
    int jwksFetches = 0;
    for (RecordedRequest r; (r = recorded()) != null; ) {
      if (String.valueOf(r.getPath()).endsWith("/jwks")) {
        jwksFetches++;
      }
    }
    assertThat(jwksFetches).isEqualTo(1);

    HttpResponse<String> allowed = send(preflight("http://app.example"));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://app.example");
    assertThat(send(preflight("http://evil.example")).statusCode()).isEqualTo(403);
  }

  /** The issuer's next recorded request, or null when there is none (it throws on a timeout). */
  private static @Nullable RecordedRequest recorded() {
    try {
      return issuer.takeRequest(100, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static HttpRequest preflight(String origin) {
    return HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/" + BUCKET + "/rooms/1"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .build();
  }

  private static S3ObjectStore client(SignedRequests.Credentials credentials) {
    return S3ObjectStore.builder()
        .endpoint(gateway.endpoint())
        .region("us-east-1")
        .credentials(credentials.accessKeyId(), credentials.secret(), credentials.token())
        .build();
  }

  private static SignedRequests.Credentials assume(String subject, List<String> roles)
      throws Exception {
    HttpResponse<String> answer = sts(token(subject, "mps3-app", roles, 3600), ROLE);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new SignedRequests.Credentials(
        element(answer.body(), "AccessKeyId"),
        element(answer.body(), "SecretAccessKey"),
        element(answer.body(), "SessionToken"));
  }

  private static String token(String subject, String audience, List<String> roles, long expiry) {
    Map<String, Object> claims = roles.isEmpty() ? Map.of() : Map.of("roles", roles);
    return issuer
        .issueToken(
            "default",
            "mps3-app",
            new DefaultOAuth2TokenCallback(
                "default", subject, "JWT", List.of(audience), claims, expiry))
        .serialize();
  }

  private static HttpResponse<String> sts(String token, String role) throws Exception {
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=app"
            + "&DurationSeconds=900&RoleArn="
            + URLEncoder.encode(role, StandardCharsets.UTF_8)
            + "&WebIdentityToken="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(gateway.endpoint())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    assertThat(m.find()).as("%s in %s", name, xml).isTrue();
    return m.group(1);
  }
}
