package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations parts on their own: the token bucket, the new config sections, an audit line. */
class OperationsTest {

  @TempDir static Path dir;

  private static final Map<String, String> ENV =
      Map.of("SEALING_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "UPSTREAM_SECRET", "s");

  @Test
  void rateLimiter_allowsTheBurst_thenRefillsAtTheRate_perCaller() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    RateLimiter limiter = new RateLimiter(new OperationsConfig.RateLimit(2, 3), now::get);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.admit("alice")).isZero();
    }
    assertThat(limiter.admit("alice")).isEqualTo(Duration.ofMillis(500));
    assertThat(limiter.admit("bob")).isZero();
    now.addAndGet(Duration.ofMillis(499).toNanos());
    assertThat(limiter.admit("alice")).isPositive();
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(limiter.admit("alice")).isZero();
    now.addAndGet(Duration.ofHours(1).toNanos());
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.admit("alice")).as("the burst, no more after a pause").isZero();
    }
    assertThat(limiter.admit("alice")).isPositive();
  }

  @Test
  void config_readsTheSections_andNamesTheLineOfAMistake() {
    GatewayConfig config =
        parse(
            GatewayConfigLoaderTest.GOOD
                + "rateLimit:\n  requestsPerSecond: 0.5\n  burst: 4\naudit:\n  file: a.jsonl\n");
    assertThat(config.operations().rateLimit()).isEqualTo(new OperationsConfig.RateLimit(0.5, 4));
    assertThat(config.operations().audit().file()).isEqualTo(dir.resolve("a.jsonl"));
    assertThat(parse(GatewayConfigLoaderTest.GOOD).operations()).isEqualTo(OperationsConfig.NONE);
    OperationsConfig stsOnly =
        parse(
                GatewayConfigLoaderTest.GOOD
                    + "rateLimit:\n  sts:\n    requestsPerSecond: 2\n    burst: 5\n")
            .operations();
    assertThat(stsOnly.rateLimit()).as("no per-caller limit when only sts is set").isNull();
    assertThat(stsOnly.stsRateLimit()).isEqualTo(new OperationsConfig.RateLimit(2, 5));
    assertThat(stsOnly.maxInFlight()).isEqualTo(OperationsConfig.DEFAULT_MAX_IN_FLIGHT);
    OperationsConfig inFlightOnly =
        parse(GatewayConfigLoaderTest.GOOD + "rateLimit:\n  maxInFlight: 8\n").operations();
    assertThat(inFlightOnly.maxInFlight()).isEqualTo(8);
    assertThat(inFlightOnly.rateLimit()).as("no rate when only maxInFlight is set").isNull();

    int line = (int) GatewayConfigLoaderTest.GOOD.lines().count() + 2;
    assertThatThrownBy(
            () ->
                parse(
                    GatewayConfigLoaderTest.GOOD
                        + "rateLimit:\n  burst: 2\n  requestsPerSecond: lots\n"))
        .hasMessage(
            "gateway.yaml line "
                + (line + 1)
                + ": rateLimit.requestsPerSecond must be a positive number, not 'lots'");
    assertThatThrownBy(
            () ->
                parse(
                    GatewayConfigLoaderTest.GOOD
                        + "rateLimit:\n  requestsPerSecond: 1\n  burst: 1.5\n"))
        .hasMessageStartingWith("gateway.yaml line " + (line + 1) + ": rateLimit.burst must be");
    assertThatThrownBy(
            () -> parse(GatewayConfigLoaderTest.GOOD + "rateLimit:\n  maxInFlight: 0.5\n"))
        .hasMessageStartingWith("gateway.yaml line " + line + ": rateLimit.maxInFlight must be");
    assertThatThrownBy(
            () ->
                parse(
                    GatewayConfigLoaderTest.GOOD
                        + "rateLimit:\n  sts:\n    requestsPerSecond: 0\n"))
        .hasMessage(
            "gateway.yaml line "
                + (line + 1)
                + ": rateLimit.sts.requestsPerSecond must be a positive number, not '0'");
    assertThatThrownBy(() -> parse(GatewayConfigLoaderTest.GOOD + "audit:\n  file: no/such/x\n"))
        .hasMessage(
            "gateway.yaml line "
                + line
                + ": audit.file must be a file in an existing directory, not "
                + dir.resolve("no/such/x"));
    assertThatThrownBy(() -> parse(GatewayConfigLoaderTest.GOOD + "audit:\n  path: x\n"))
        .hasMessageStartingWith("gateway.yaml line " + line + ": unknown option 'audit.path'");
  }

  @Test
  void auditLine_isOneJsonObjectWithTheDecisionsFields() {
    String line =
        new String(
            AuditLog.line(
                new AuditLog.Entry(
                    Instant.parse("2026-01-02T03:04:05Z"),
                    "http://issuer",
                    "al\"ice",
                    new S3Operation("PutObject", "b", "users/alice/k", ""),
                    null,
                    "allowed",
                    "own-keys",
                    "",
                    200)),
            StandardCharsets.UTF_8);
    assertThat(line)
        .isEqualTo(
            "{\"time\":\"2026-01-02T03:04:05Z\",\"issuer\":\"http://issuer\","
                + "\"subject\":\"al\\\"ice\",\"operation\":\"PutObject\",\"bucket\":\"b\","
                + "\"key\":\"users/alice/k\",\"decision\":\"allowed\",\"rule\":\"own-keys\","
                + "\"status\":200}\n");
  }

  @Test
  void auditLine_namesTheManifestOfALogObject() throws Exception {
    Path file = dir.resolve("audit-manifest.jsonl");
    Operations operations =
        new Operations(
            new OperationsConfig(
                null,
                null,
                OperationsConfig.DEFAULT_MAX_IN_FLIGHT,
                new OperationsConfig.Audit(OperationsConfig.Audit.Target.FILE, file)),
            java.time.Clock.systemUTC(),
            System::nanoTime);

    operations.refused(
        null,
        new S3Operation("PutObject", "b", "rooms/chat.json/log/00000000000000000007", ""),
        "denied",
        "manifest write refused",
        403);
    operations.refused(
        null, new S3Operation("PutObject", "b", "users/alice/k", ""), "denied", "x", 403);
    operations.close();
    List<String> lines = java.nio.file.Files.readAllLines(file);
    assertThat(lines.get(0)).contains("\"manifest\":\"rooms/chat.json\"");
    assertThat(lines.get(1)).doesNotContain("manifest");
  }

  private static GatewayConfig parse(String yaml) {
    return GatewayConfigLoader.parse(yaml, "gateway.yaml", dir, ENV);
  }
}
