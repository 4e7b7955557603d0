package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.S3ObjectStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits, the audit log, and the health and metrics endpoints, on gateways of their own in
 * front of the shared issuer and S3Proxy ({@link SharedGateway}).
 */
class GatewayOperationsIT {

  private static final String BUCKET = GatewayFixture.BUCKET;

  @TempDir static Path dir;
  private static GatewayFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = SharedGateway.fixture();
    f.direct.put(BUCKET, "rooms/ops", new byte[] {1}, PutOptions.unconditional()).join();
  }

  @Test
  void callerOverItsRate_getsSlowDown_andEveryDecisionIsAuditedWithoutSecrets() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    // A refill so slow that no token comes back during the test: the burst is all a caller has.
    try (Gateway gateway =
        Gateway.start(
            config(
                "rateLimit:\n  requestsPerSecond: 0.001\n  burst: 3\naudit:\n  file: "
                    + audit
                    + "\n"))) {
      URI endpoint = gateway.endpoint();
      SignedRequests.Credentials alice = f.assume("ops-alice", List.of());
      SignedRequests.Credentials bob = f.assume("ops-bob", List.of());
      List<String> signatures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        assertThat(
                send(
                        signatures,
                        SignedRequests.get(
                            endpoint, alice, BUCKET, "rooms/ops", Instant.now(), false))
                    .statusCode())
            .isEqualTo(200);
      }
      HttpResponse<String> throttled =
          send(
              signatures,
              SignedRequests.get(endpoint, alice, BUCKET, "rooms/ops", Instant.now(), false));
      assertThat(throttled.statusCode()).isEqualTo(503);
      assertThat(throttled.body()).contains("<Code>SlowDown</Code>");
      assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow()))
          .isGreaterThan(900);

      assertThat(
              send(
                      signatures,
                      SignedRequests.get(endpoint, bob, BUCKET, "rooms/ops", Instant.now(), false))
                  .statusCode())
          .as("another caller has a bucket of its own")
          .isEqualTo(200);
      assertThat(
              send(
                      signatures,
                      SignedRequests.put(
                          endpoint,
                          bob,
                          BUCKET,
                          "users/ops-bob/k",
                          "secret body",
                          "secret body",
                          Instant.now()))
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              send(
                      signatures,
                      SignedRequests.put(
                          endpoint,
                          bob,
                          BUCKET,
                          "users/ops-alice/k",
                          "forged body",
                          "forged body",
                          Instant.now()))
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              send(
                      signatures,
                      SignedRequests.get(endpoint, bob, BUCKET, "rooms/ops", Instant.now(), true))
                  .statusCode())
          .isEqualTo(403);

      String text = Files.readString(audit, StandardCharsets.UTF_8);
      List<String> decisions = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : text.lines().toList()) {
        JsonNode entry = json.readTree(line);
        assertThat(Instant.parse(entry.get("time").asText())).isNotNull();
        assertThat(entry.get("bucket").asText()).isEqualTo(BUCKET);
        decisions.add(
            String.join(
                " ",
                entry.get("subject").asText("-"),
                entry.get("operation").asText(),
                entry.get("key").asText(),
                entry.get("decision").asText(),
                entry.get("rule").asText("-")));
      }
      assertThat(decisions)
          .containsExactly(
              "ops-alice GetObject rooms/ops allowed everyone-reads",
              "ops-alice GetObject rooms/ops allowed everyone-reads",
              "ops-alice GetObject rooms/ops allowed everyone-reads",
              "ops-alice GetObject rooms/ops throttled ",
              "ops-bob GetObject rooms/ops allowed everyone-reads",
              "ops-bob PutObject users/ops-bob/k allowed own-keys",
              "ops-bob PutObject users/ops-alice/k denied ",
              " GetObject rooms/ops denied ");
      List<String> secrets = new ArrayList<>(signatures);
      secrets.addAll(List.of(alice.secret(), alice.token(), bob.secret(), bob.token()));
      secrets.add(Files.readString(f.dir.resolve("sealing.key")).trim());
      secrets.add(Files.readString(f.dir.resolve("upstream.secret")).trim());
      secrets.addAll(List.of("secret body", "forged body"));
      assertThat(signatures).hasSize(8);
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }

  @Test
  void stsRequests_areLimitedPerAddress_andEveryAnswerIsAudited_neverTheTokenOrTheCredentials()
      throws Exception {
    Path audit = dir.resolve("sts-audit.jsonl");
    // Two STS requests per address, and no token comes back during the test.
    try (Gateway gateway =
        Gateway.start(
            config(
                "rateLimit:\n  requestsPerSecond: 100\n  sts:\n    requestsPerSecond: 0.001\n"
                    + "    burst: 2\naudit:\n  file: "
                    + audit
                    + "\n"))) {
      String good = f.token("sts-erin", "mps3-app", List.of(), 3600);
      String otherApp = f.token("sts-frank", "another-app", List.of(), 3600);
      HttpResponse<String> issued = sts(gateway.endpoint(), good);
      assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
      HttpResponse<String> refused = sts(gateway.endpoint(), otherApp);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      HttpResponse<String> throttled = sts(gateway.endpoint(), good);
      assertThat(throttled.statusCode()).isEqualTo(400);
      assertThat(throttled.body()).contains("<Code>Throttling</Code>");
      assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow()))
          .isGreaterThan(900);

      String text = Files.readString(audit, StandardCharsets.UTF_8);
      List<JsonNode> entries = new ArrayList<>();
      for (String line : text.lines().toList()) {
        entries.add(new ObjectMapper().readTree(line));
      }
      assertThat(entries).hasSize(3);
      assertThat(entries.get(0).get("operation").asText()).isEqualTo("AssumeRoleWithWebIdentity");
      assertThat(entries.get(0).get("subject").asText()).isEqualTo("sts-erin");
      assertThat(entries.get(0).get("decision").asText()).isEqualTo("allowed");
      assertThat(entries.get(0).get("status").asInt()).isEqualTo(200);
      assertThat(entries.get(1).get("subject").asText()).as("not verified: unknown").isEmpty();
      assertThat(entries.get(1).get("decision").asText()).isEqualTo("denied");
      assertThat(entries.get(1).get("reason").asText()).startsWith("InvalidIdentityToken");
      assertThat(entries.get(2).get("decision").asText()).isEqualTo("denied");
      assertThat(entries.get(2).get("reason").asText()).startsWith("Throttling");
      for (String secret :
          List.of(
              good,
              otherApp,
              element(issued.body(), "SecretAccessKey"),
              element(issued.body(), "SessionToken"))) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }

  @Test
  void javaClient_backsOffOnSlowDown_andItsWritesAllLand() throws Exception {
    // One request each 2 s: the client's second put comes sooner, is throttled, waits out
    // Retry-After (2 s) and lands on its retry.
    SignedRequests.Credentials dave = f.assume("ops-dave", List.of());
    try (Gateway gateway =
            Gateway.start(config("rateLimit:\n  requestsPerSecond: 0.5\n  burst: 1\n"));
        S3ObjectStore client =
            S3ObjectStore.builder()
                .endpoint(gateway.endpoint())
                .region("us-east-1")
                .credentials(dave.accessKeyId(), dave.secret(), dave.token())
                .build()) {
      for (int i = 0; i < 2; i++) {
        assertThat(
                client
                    .put(BUCKET, "users/ops-dave/" + i, new byte[] {1}, PutOptions.unconditional())
                    .join())
            .isInstanceOf(PutOutcome.Written.class);
      }
      String metrics =
          f.send(HttpRequest.newBuilder(gateway.endpoint().resolve("/_mps3/metrics")).build())
              .body();
      assertThat(metrics)
          .contains(
              "mps3_gateway_requests_total{operation=\"PutObject\",decision=\"allowed\"} 2\n",
              "mps3_gateway_requests_total{operation=\"PutObject\",decision=\"throttled\"} ");
    }
  }

  @Test
  void healthAndMetrics_answerOnTheGatewaysOwnPath() throws Exception {
    try (Gateway gateway = Gateway.start(config(""))) {
      URI endpoint = gateway.endpoint();
      SignedRequests.Credentials carol = f.assume("ops-carol", List.of());
      List<String> ignored = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        send(
            ignored,
            SignedRequests.get(endpoint, carol, BUCKET, "rooms/ops", Instant.now(), false));
      }
      send(
          ignored,
          SignedRequests.put(endpoint, carol, BUCKET, "rooms/ops", "x", "x", Instant.now()));

      HttpResponse<String> health =
          f.send(HttpRequest.newBuilder(endpoint.resolve("/_mps3/health")).build());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"up\"");
      HttpResponse<String> metrics =
          f.send(HttpRequest.newBuilder(endpoint.resolve("/_mps3/metrics")).build());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains(
              "mps3_gateway_requests_total{operation=\"GetObject\",decision=\"allowed\"} 2\n",
              "mps3_gateway_requests_total{operation=\"PutObject\",decision=\"denied\"} 1\n",
              "mps3_gateway_upstream_seconds_count 2\n",
              "mps3_gateway_upstream_seconds_bucket{le=\"+Inf\"} 2\n");
      assertThat(
              f.send(HttpRequest.newBuilder(endpoint.resolve("/_mps3/other")).build()).statusCode())
          .isEqualTo(404);
    }
  }

  /** The shared fixture's config with more sections. */
  @Test
  void callerWithTooManyRequestsInProgress_getsSlowDown_whileOthersAreServed() throws Exception {
    try (Gateway gateway = Gateway.start(config("rateLimit:\n  maxInFlight: 1\n"))) {
      URI endpoint = gateway.endpoint();
      SignedRequests.Credentials dave = f.assume("ops-dave", List.of());
      SignedRequests.Credentials erin = f.assume("ops-erin", List.of());
      String body = "held";
      HttpRequest put =
          SignedRequests.put(
              endpoint, dave, BUCKET, "users/ops-dave/held", body, body, Instant.now());
      StringBuilder head = new StringBuilder("PUT " + put.uri().getRawPath() + " HTTP/1.1\r\n");
      head.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort());
      put.headers()
          .map()
          .forEach((name, values) -> head.append("\r\n" + name + ": " + values.get(0)));
      head.append("\r\nContent-Length: ").append(body.length());
      head.append("\r\nExpect: 100-continue\r\n\r\n");
      try (RawHttpConnection held = new RawHttpConnection(endpoint.getPort())) {
        held.send(head.toString());
        // The gateway asks for the body once the PUT holds its place: it is now in progress.
        assertThat(held.line()).startsWith("HTTP/1.1 100 ");
        assertThat(held.line()).isEmpty();
        assertThat(f.send(getOf(endpoint, dave)).statusCode()).isEqualTo(503);
        assertThat(f.send(getOf(endpoint, erin)).statusCode())
            .as("another caller has places of its own")
            .isEqualTo(200);
        held.send(body);
        assertThat(held.read().status()).isEqualTo(200);
      }
      assertThat(firstStatus(endpoint, dave, 200)).as("the place is given back").isEqualTo(200);
    }
  }

  /** Sends GETs as {@code caller} until one answers {@code wanted} (10 s at most). */
  private static int firstStatus(URI endpoint, SignedRequests.Credentials caller, int wanted)
      throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    int status;
    do {
      status = f.send(getOf(endpoint, caller)).statusCode();
    } while (status != wanted && System.nanoTime() < deadline);
    return status;
  }

  private static HttpRequest getOf(URI endpoint, SignedRequests.Credentials caller) {
    return SignedRequests.get(endpoint, caller, BUCKET, "rooms/ops", Instant.now(), false);
  }

  private static GatewayConfig config(String more) throws Exception {
    return f.configWith(yaml -> yaml + more);
  }

  private static HttpResponse<String> sts(URI endpoint, String token) throws Exception {
    String form =
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=app"
            + "&DurationSeconds=900&RoleArn="
            + URLEncoder.encode(GatewayFixture.ROLE, StandardCharsets.UTF_8)
            + "&WebIdentityToken="
            + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return f.send(
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
    assertThat(m.find()).as("%s in %s", name, xml).isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> send(List<String> signatures, HttpRequest request)
      throws Exception {
    String authorization = request.headers().firstValue("Authorization").orElseThrow();
    signatures.add(authorization.substring(authorization.indexOf("Signature=") + 10));
    return f.send(request);
  }
}
