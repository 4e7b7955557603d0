package io.mps3.bench;

import io.mps3.gateway.Gateway;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * What {@link GatewayBenchmark} runs against: S3Proxy (in-memory, in this JVM), an OpenID issuer
 * (mock-oauth2-server, in this JVM) and a gateway in front of S3Proxy that trusts it, started from
 * a YAML config file as {@code mps3 gateway} would. Credentials come the way a browser gets them:
 * an ID token from the issuer, exchanged at the gateway's STS ({@code AssumeRoleWithWebIdentity}),
 * so nothing of the gateway is bypassed.
 *
 * <p>Stores are built with one attempt per call (no retry hides a request).
 */
final class GatewayRig implements AutoCloseable {

  /** The bucket both paths use. */
  static final String BUCKET = BenchTarget.BUCKET;

  private static final String ROLE = "arn:aws:iam::000000000000:role/mps3-user";
  private static final String AUDIENCE = "mps3-bench";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path dir;
  private final S3ProxyServer upstream;
  private final MockOAuth2Server issuer;
  private final Gateway gateway;
  private final PassThroughProxy passThrough;
  private final PassThroughProxy blockingPassThrough;
  private final RawRelay relay;
  private final BlockingHttpRelay httpRelay;

  private GatewayRig(
      Path dir,
      S3ProxyServer upstream,
      MockOAuth2Server issuer,
      Gateway gateway,
      PassThroughProxy passThrough,
      PassThroughProxy blockingPassThrough,
      RawRelay relay,
      BlockingHttpRelay httpRelay) {
    this.dir = dir;
    this.upstream = upstream;
    this.issuer = issuer;
    this.gateway = gateway;
    this.passThrough = passThrough;
    this.blockingPassThrough = blockingPassThrough;
    this.relay = relay;
    this.httpRelay = httpRelay;
  }

  /**
   * Starts S3Proxy with the bench bucket, the issuer, the gateway, and the proxies that check
   * nothing ({@link GatewayBenchmark} says what each is the floor of): a raw TCP relay, a blocking
   * HTTP relay, and the bare pass-through with a blocking upstream and with Jetty's HttpClient.
   */
  static GatewayRig start() throws Exception {
    Path dir = Files.createTempDirectory("mps3-bench-gateway-");
    S3ProxyServer upstream = S3ProxyServer.startTransient();
    MockOAuth2Server issuer = new MockOAuth2Server();
    try {
      try (S3ObjectStore admin = upstream.storeBuilder().build()) {
        admin.createBucket(BUCKET).join();
      }
      issuer.start();
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(dir.resolve("sealing.key"), Base64.getEncoder().encodeToString(key));
      Files.writeString(dir.resolve("upstream.secret"), S3ProxyServer.SECRET_KEY);
      Path config = dir.resolve("gateway.yaml");
      Files.writeString(config, config(issuer.issuerUrl("default").toString(), upstream));
      Gateway gateway = Gateway.start(config);
      RawRelay relay = null;
      BlockingHttpRelay httpRelay = null;
      PassThroughProxy passThrough = null;
      try {
        relay = RawRelay.start(upstream.endpoint());
        httpRelay = BlockingHttpRelay.start(upstream.endpoint());
        passThrough = PassThroughProxy.start(upstream.endpoint(), false);
        return new GatewayRig(
            dir,
            upstream,
            issuer,
            gateway,
            passThrough,
            PassThroughProxy.start(upstream.endpoint(), true),
            relay,
            httpRelay);
      } catch (Exception e) {
        if (relay != null) {
          relay.close();
        }
        if (httpRelay != null) {
          httpRelay.close();
        }
        if (passThrough != null) {
          passThrough.close();
        }
        gateway.close();
        throw e;
      }
    } catch (Exception e) {
      issuer.shutdown();
      upstream.close();
      deleteTree(dir);
      throw e;
    }
  }

  /**
   * The config: each user reads and writes only under {@code users/<sub>/}, the rule a chat app's
   * private keys would have, so every request runs a CEL rule that reads a claim.
   */
  private static String config(String issuerUrl, S3ProxyServer upstream) {
    return String.join(
        "\n",
        "listen: 127.0.0.1:0",
        "sts:",
        "  roleArns: [" + ROLE + "]",
        "  sealingKeys:",
        "    - id: k1",
        "      secret: file:sealing.key",
        "issuers:",
        "  - issuer: " + issuerUrl,
        "    audiences: [" + AUDIENCE + "]",
        "upstream:",
        "  endpoint: " + upstream.endpoint(),
        "  accessKeyId: " + S3ProxyServer.ACCESS_KEY,
        "  secretAccessKey: file:upstream.secret",
        "rules:",
        "  - name: own-keys",
        "    allow: >-",
        "      request.operation in ['GetObject', 'HeadObject', 'PutObject']",
        "      && request.key.startsWith('users/' + claims.sub + '/')",
        "");
  }

  /** The store's name, for the report. */
  String storeName() {
    return upstream.name();
  }

  /** A new client of S3Proxy itself, with the store's own keys. */
  CountingObjectStore direct() {
    return CountingObjectStore.wrap(upstream.storeBuilder().disableRetries().build());
  }

  /**
   * A new client of S3Proxy through the raw TCP relay, with the store's own keys (the store checks
   * the signature).
   */
  CountingObjectStore throughRelay() {
    return CountingObjectStore.wrap(
        upstream.storeBuilder().endpoint(relay.endpoint()).disableRetries().build());
  }

  /** A new client of S3Proxy through the blocking HTTP relay, with the store's own keys. */
  CountingObjectStore throughHttpRelay() {
    return CountingObjectStore.wrap(
        upstream.storeBuilder().endpoint(httpRelay.endpoint()).disableRetries().build());
  }

  /** A new client of S3Proxy through the pass-through with a blocking upstream. */
  CountingObjectStore throughBlockingPassThrough() {
    return CountingObjectStore.wrap(
        upstream.storeBuilder().endpoint(blockingPassThrough.endpoint()).disableRetries().build());
  }

  /** Connections the raw relay opened to the store, one per client connection it accepted. */
  long relayUpstreamConnects() {
    return relay.upstreamConnects();
  }

  /**
   * A new client of S3Proxy through the bare pass-through proxy, with the store's own keys (the
   * store checks the signature).
   */
  CountingObjectStore throughPassThrough() {
    return CountingObjectStore.wrap(
        upstream.storeBuilder().endpoint(passThrough.endpoint()).disableRetries().build());
  }

  /**
   * A new client of the gateway for {@code subject}: an ID token from the issuer, exchanged at the
   * gateway's STS for temporary credentials.
   */
  CountingObjectStore throughGateway(String subject) {
    Credentials credentials = assume(subject);
    return CountingObjectStore.wrap(
        S3ObjectStore.builder()
            .endpoint(gateway.endpoint())
            .region("us-east-1")
            .credentials(credentials.accessKeyId(), credentials.secret(), credentials.token())
            .disableRetries()
            .build());
  }

  /** Temporary credentials from the gateway's STS. */
  private record Credentials(String accessKeyId, String secret, String token) {
    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + "]";
    }
  }

  private Credentials assume(String subject) {
    String token =
        issuer
            .issueToken(
                "default",
                AUDIENCE,
                new DefaultOAuth2TokenCallback(
                    "default", subject, "JWT", List.of(AUDIENCE), Map.of(), 3600))
            .serialize();
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=bench"
            + "&RoleArn="
            + URLEncoder.encode(ROLE, StandardCharsets.UTF_8)
            + "&WebIdentityToken="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.endpoint() + "/"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    String body;
    int status;
    try {
      HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      body = answer.body();
      status = answer.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("the gateway's STS did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the gateway's STS", e);
    }
    if (status != 200) {
      // The body is an STS error document: it names the problem and never holds the token.
      throw new IllegalStateException("the gateway's STS answered " + status + ": " + body);
    }
    return new Credentials(
        element(body, "AccessKeyId"),
        element(body, "SecretAccessKey"),
        element(body, "SessionToken"));
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    if (!m.find()) {
      throw new IllegalStateException("the gateway's STS answer has no " + name);
    }
    return m.group(1);
  }

  @Override
  public void close() throws Exception {
    // Closed in the reverse order of these lines, each even when one before it fails.
    try (AutoCloseable deleted = () -> deleteTree(dir);
        AutoCloseable stopped = upstream;
        AutoCloseable shutDown = issuer::shutdown;
        AutoCloseable closed = gateway;
        AutoCloseable relayClosed = relay;
        AutoCloseable httpRelayClosed = httpRelay;
        AutoCloseable blockingClosed = blockingPassThrough) {
      passThrough.close();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
