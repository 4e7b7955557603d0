package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The signature check against AWS's published SigV4 examples for S3 (GET Object with a Range, and a
 * presigned URL), so it agrees with AWS's own arithmetic, and its refusals.
 */
class SigV4VerifierTest {

  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String AKID = "AKIAIOSFODNN7EXAMPLE";
  private static final Instant SIGNED_AT = Instant.parse("2013-05-24T00:00:00Z");
  private static final SessionSealer SEALER =
      new SessionSealer(
          List.of(new GatewayConfig.SealingKey("k1", new SecretKeySpec(new byte[32], "AES"))));

  @Test
  void presignedExample_matchesAwsSignature() {
    String canonical =
        SigV4.canonicalRequest(
            "GET",
            "/test.txt",
            SigV4.canonicalQuery(
                SigV4.parseQuery(
                    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host")),
            Map.of("host", "examplebucket.s3.amazonaws.com"),
            "host",
            SigV4.UNSIGNED_PAYLOAD);
    String signature =
        SigV4.signature(
            SECRET,
            "20130524",
            "us-east-1",
            SigV4.stringToSign(
                "20130524T000000Z", SigV4.scope("20130524", "us-east-1"), canonical));
    assertThat(signature)
        .isEqualTo("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  }

  @Test
  void verify_awsGetObjectExample_passes() throws Exception {
    SigV4Verifier.Verified verified = verifier(SIGNED_AT).verify(example(token(), "bytes=0-9"));
    assertThat(verified.session().subject()).isEqualTo("alice");
    assertThat(verified.payloadHash()).isEqualTo(SigV4.EMPTY_SHA256);
  }

  @Test
  void verify_changedHeader_isDenied() {
    assertThatThrownBy(() -> verifier(SIGNED_AT).verify(example(token(), "bytes=0-99")))
        .isInstanceOf(SigV4Verifier.Denied.class)
        .hasMessageContaining("signature does not match");
  }

  @Test
  void verify_outsideClockSkew_isDenied() {
    Instant later = SIGNED_AT.plus(Duration.ofMinutes(16));
    assertThatThrownBy(() -> verifier(later).verify(example(token(), "bytes=0-9")))
        .isInstanceOf(SigV4Verifier.Denied.class)
        .hasMessageContaining("not within 15 minutes");
  }

  @Test
  void verify_forgedOrMissingOrExpiredToken_isDenied() {
    String token = token();
    String forged = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    assertThatThrownBy(() -> verifier(SIGNED_AT).verify(example(forged, "bytes=0-9")))
        .hasMessageContaining("session token is not valid")
        .hasMessageNotContaining(forged);
    assertThatThrownBy(() -> verifier(SIGNED_AT).verify(example(null, "bytes=0-9")))
        .hasMessageContaining("no session token");
    Instant afterExpiry = SIGNED_AT.plus(Duration.ofMinutes(10));
    String expiring = SEALER.seal(session(SIGNED_AT.plus(Duration.ofMinutes(5))));
    assertThatThrownBy(() -> verifier(afterExpiry).verify(example(expiring, "bytes=0-9")))
        .hasMessageContaining("expired");
  }

  @Test
  void verify_afterACachedSuccess_stillRefusesExpiryAndAChangedRequest() throws Exception {
    String expiring = SEALER.seal(session(SIGNED_AT.plus(Duration.ofMinutes(5))));
    MovingClock clock = new MovingClock(SIGNED_AT);
    SigV4Verifier verifier =
        new SigV4Verifier(
            SEALER, "us-east-1", Duration.ofMinutes(15), clock, new Revocations(List.of()));
    verifier.verify(example(expiring, "bytes=0-9")); // the session and the signing key now cached
    assertThatThrownBy(() -> verifier.verify(example(expiring, "bytes=0-99")))
        .hasMessageContaining("signature does not match");
    clock.now = SIGNED_AT.plus(Duration.ofMinutes(10));
    assertThatThrownBy(() -> verifier.verify(example(expiring, "bytes=0-9")))
        .hasMessageContaining("expired");
  }

  @Test
  void signature_manyKeysInTurn_eachIsItsOwnKeysSignature() throws Exception {
    // More secrets, dates and regions in turn than a thread keeps set up: each signature must be
    // the one derived afresh for its own secret, date and region, whichever was used before.
    String text = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\nabc";
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 7; i++) {
        String secret = SECRET + i % 5;
        String date = i % 2 == 0 ? "20130524" : "20130525";
        String region = i % 3 == 0 ? "us-east-1" : "eu-west-1";
        assertThat(SigV4.signature(secret, date, region, text))
            .as("secret %d, %s, %s", i % 5, date, region)
            .isEqualTo(derived(secret, date, region, text));
      }
    }
  }

  /** SigV4's signature computed from scratch, with nothing kept between calls. */
  private static String derived(String secret, String date, String region, String text)
      throws Exception {
    byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
    for (String part : List.of(date, region, "s3", "aws4_request", text)) {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      key = mac.doFinal(part.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(key);
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    volatile Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void verify_sigV4aChunkedBody_isUnsupported() {
    IncomingRequest request = example(token(), "bytes=0-9");
    request
        .headers()
        .put("x-amz-content-sha256", List.of("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"));
    assertThatThrownBy(() -> verifier(SIGNED_AT).verify(request))
        .isInstanceOf(SigV4Verifier.Unsupported.class)
        .hasMessageContaining("not supported");
  }

  private static SigV4Verifier verifier(Instant now) {
    return new SigV4Verifier(
        SEALER,
        "us-east-1",
        Duration.ofMinutes(15),
        Clock.fixed(now, ZoneOffset.UTC),
        new Revocations(List.of()));
  }

  private static String token() {
    return SEALER.seal(session(SIGNED_AT.plus(Duration.ofDays(1))));
  }

  private static Session session(Instant expires) {
    return new Session(
        AKID, SECRET, "https://issuer", "alice", "arn:aws:iam::1:role/r", "s", expires, Map.of());
  }

  /** AWS's GET Object example, with the session token as an unsigned header. */
  private static IncomingRequest example(@Nullable String token, String range) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of("examplebucket.s3.amazonaws.com"));
    headers.put("range", List.of(range));
    headers.put("x-amz-content-sha256", List.of(SigV4.EMPTY_SHA256));
    headers.put("x-amz-date", List.of("20130524T000000Z"));
    headers.put(
        "authorization",
        List.of(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    if (token != null) {
      headers.put("x-amz-security-token", List.of(token));
    }
    return new IncomingRequest("GET", "/test.txt", "", headers);
  }
}
