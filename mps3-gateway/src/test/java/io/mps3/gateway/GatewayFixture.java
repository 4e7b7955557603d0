package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * What {@link GatewayIT} runs against: an OpenID issuer in this JVM (mock-oauth2-server), S3Proxy
 * as the upstream store, a bucket, and a gateway configured with both; plus the calls a client
 * makes (an ID token, the STS exchange). Started once per test class.
 */
final class GatewayFixture implements AutoCloseable {

  static final String BUCKET = "gateway-it";
  static final String ROLE = "arn:aws:iam::000000000000:role/mps3-user";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Path dir;
  final MockOAuth2Server issuer;
  final S3ProxyServer upstream;
  final S3ObjectStore direct;
  final GatewayConfig config;
  final Gateway gateway;

  private GatewayFixture(
      Path dir,
      MockOAuth2Server issuer,
      S3ProxyServer upstream,
      S3ObjectStore direct,
      GatewayConfig config,
      Gateway gateway) {
    this.dir = dir;
    this.issuer = issuer;
    this.upstream = upstream;
    this.direct = direct;
    this.config = config;
    this.gateway = gateway;
  }

  static GatewayFixture start(Path dir) throws Exception {
    return start(dir, List.of());
  }

  /**
   * Starts a fixture whose config has {@code extraLines} after its rules: more rules (items of the
   * {@code rules} list) and then sections of their own.
   */
  static GatewayFixture start(Path dir, List<String> extraLines) throws Exception {
    // The three slow starts (the issuer's Kotlin and RSA key, S3Proxy, CEL's environment) overlap.
    CompletableFuture<S3ProxyServer> s3proxy =
        CompletableFuture.supplyAsync(S3ProxyServer::startTransient);
    CompletableFuture<?> cel = CompletableFuture.supplyAsync(Rules::warmUp);
    MockOAuth2Server issuer = new MockOAuth2Server();
    issuer.start();
    S3ProxyServer upstream = s3proxy.join();
    cel.join();
    S3ObjectStore direct = upstream.storeBuilder().build();
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
            String.join("\n", extraLines),
            "cors:",
            "  allowedOrigins: [http://app.example]",
            ""));
    GatewayConfig config = GatewayConfigLoader.load(file, Map.of());
    return new GatewayFixture(dir, issuer, upstream, direct, config, Gateway.start(config));
  }

  /** This fixture's config, edited as text: for a gateway of a test's own beside the shared one. */
  GatewayConfig configWith(UnaryOperator<String> edit) throws Exception {
    String text = Files.readString(dir.resolve("gateway.yaml"), StandardCharsets.UTF_8);
    return GatewayConfigLoader.parse(edit.apply(text), "gateway.yaml", dir, Map.of());
  }

  @Override
  public void close() {
    gateway.close();
    direct.close();
    upstream.close();
    issuer.shutdown();
  }

  /** The issuer's next recorded request, or null when there is none (it throws on a timeout). */
  @Nullable RecordedRequest recorded() {
    try {
      return issuer.takeRequest(100, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return null;
    }
  }

  S3ObjectStore client(SignedRequests.Credentials credentials) {
    return S3ObjectStore.builder()
        .endpoint(gateway.endpoint())
        .region("us-east-1")
        .credentials(credentials.accessKeyId(), credentials.secret(), credentials.token())
        .build();
  }

  SignedRequests.Credentials assume(String subject, List<String> roles) throws Exception {
    HttpResponse<String> answer = sts(token(subject, "mps3-app", roles, 3600), ROLE);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new SignedRequests.Credentials(
        element(answer.body(), "AccessKeyId"),
        element(answer.body(), "SecretAccessKey"),
        element(answer.body(), "SessionToken"));
  }

  String token(String subject, String audience, List<String> roles, long expiry) {
    Map<String, Object> claims = roles.isEmpty() ? Map.of() : Map.of("roles", roles);
    return issuer
        .issueToken(
            "default",
            "mps3-app",
            new DefaultOAuth2TokenCallback(
                "default", subject, "JWT", List.of(audience), claims, expiry))
        .serialize();
  }

  HttpResponse<String> sts(String token, String role) throws Exception {
    return sts(gateway.endpoint(), token, role);
  }

  /** The STS answer of the gateway at {@code endpoint} to an ID token. */
  HttpResponse<String> sts(URI endpoint, String token, String role) throws Exception {
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=app"
            + "&DurationSeconds=900&RoleArn="
            + URLEncoder.encode(role, StandardCharsets.UTF_8)
            + "&WebIdentityToken="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    assertThat(m.find()).as("%s in %s", name, xml).isTrue();
    return m.group(1);
  }
}
