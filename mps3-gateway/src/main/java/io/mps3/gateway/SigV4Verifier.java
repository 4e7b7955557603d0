package io.mps3.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks the SigV4 signature of an incoming S3 request, in either form (the {@code Authorization}
 * header, or a presigned URL's query), against the temporary secret sealed in its session token:
 * the token must open with a gateway key and not have expired, its access key id must be the one
 * the request names, the scope must be today's {@code <region>/s3/aws4_request}, the request time
 * must be within the clock-skew window (a presigned URL: not before its time less the skew, not
 * after its expiry), {@code host} must be signed, and the signature must match, compared in
 * constant time. Chunked uploads ({@code STREAMING-*}) verify here as far as their headers go;
 * their chunks are checked as they stream ({@link ChunkedUpload}). Thread-safe.
 */
final class SigV4Verifier {

  /** A request that fails the check: answered 403 AccessDenied with this message. */
  static final class Denied extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Denied(String reason) {
      super(reason);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  /** A request in a form the gateway does not take yet: answered 501 NotImplemented. */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Unsupported(String reason) {
      super(reason);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  /**
   * A request whose signature holds.
   *
   * @param session the caller's session
   * @param payloadHash the payload hash the caller signed: hex SHA-256, {@code UNSIGNED-PAYLOAD} or
   *     a {@code STREAMING-*} form of {@link ChunkedUpload}
   * @param seed for a chunked upload, what its chunk signatures chain from
   */
  record Verified(Session session, String payloadHash, AwsChunkedDecoder.@Nullable Seed seed) {}

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT);
  private static final Duration MAX_PRESIGNED = Duration.ofDays(7);
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final SessionSealer sealer;
  private final String region;
  private final Duration skew;
  private final Clock clock;
  private final Revocations revocations;

  SigV4Verifier(
      SessionSealer sealer, String region, Duration skew, Clock clock, Revocations revocations) {
    this.sealer = sealer;
    this.region = region;
    this.skew = skew;
    this.clock = clock;
    this.revocations = revocations;
  }

  /** Whether a request carries presigned-URL authentication. */
  static boolean presigned(List<SigV4.Parameter> query) {
    return find(query, "X-Amz-Algorithm") != null;
  }

  Verified verify(IncomingRequest request) throws Denied, Unsupported {
    List<SigV4.Parameter> query;
    try {
      query = SigV4.parseQuery(request.rawQuery());
    } catch (IllegalArgumentException e) {
      throw new Denied("the query string is not validly percent-encoded");
    }
    String authorization = request.header("authorization");
    Map<String, String> auth;
    String payloadHash;
    String token;
    Instant time;
    String amzDate;
    if (authorization != null) {
      if (!authorization.startsWith(SigV4.ALGORITHM + " ")) {
        throw new Denied("only AWS Signature Version 4 (AWS4-HMAC-SHA256) is accepted");
      }
      auth = authorizationFields(authorization.substring(SigV4.ALGORITHM.length() + 1));
      payloadHash = request.header("x-amz-content-sha256");
      if (payloadHash == null) {
        throw new Denied("the request has no x-amz-content-sha256 header");
      }
      if (payloadHash.startsWith("STREAMING-") && !ChunkedUpload.supported(payloadHash)) {
        throw new Unsupported(
            "chunked uploads of the form "
                + payloadHash
                + " are not supported by the gateway: send "
                + ChunkedUpload.SIGNED_TRAILER
                + ", a variant of it, a SHA-256 or UNSIGNED-PAYLOAD");
      }
      if (!payloadHash.equals(SigV4.UNSIGNED_PAYLOAD)
          && !ChunkedUpload.supported(payloadHash)
          && !SHA256_HEX.matcher(payloadHash).matches()) {
        throw new Denied("x-amz-content-sha256 is neither a SHA-256 nor UNSIGNED-PAYLOAD");
      }
      token = request.header("x-amz-security-token");
      String dateHeader = request.header("x-amz-date");
      if (dateHeader != null) {
        time = parseAmzDate(dateHeader);
        requireSigned(auth, "x-amz-date");
        amzDate = dateHeader; // parsed strictly, so the same text as formatting it again
      } else {
        time = parseHttpDate(request.header("date"));
        requireSigned(auth, "date");
        amzDate = AMZ_DATE.format(time.atZone(ZoneOffset.UTC));
      }
      if (Duration.between(time, clock.instant()).abs().compareTo(skew) > 0) {
        throw new Denied(
            "the request time "
                + time
                + " is not within "
                + skew.toMinutes()
                + " minutes of the gateway's clock (replayed or skewed)");
      }
    } else if (presigned(query)) {
      if (!SigV4.ALGORITHM.equals(find(query, "X-Amz-Algorithm"))) {
        throw new Denied("only AWS Signature Version 4 (AWS4-HMAC-SHA256) is accepted");
      }
      auth = new LinkedHashMap<>();
      auth.put("Credential", required(query, "X-Amz-Credential"));
      auth.put("SignedHeaders", required(query, "X-Amz-SignedHeaders"));
      auth.put("Signature", required(query, "X-Amz-Signature"));
      payloadHash = SigV4.UNSIGNED_PAYLOAD;
      token = find(query, "X-Amz-Security-Token");
      amzDate = required(query, "X-Amz-Date");
      time = parseAmzDate(amzDate);
      long expires;
      try {
        expires = Long.parseLong(required(query, "X-Amz-Expires"));
      } catch (NumberFormatException e) {
        throw new Denied("X-Amz-Expires is not a number");
      }
      Instant now = clock.instant();
      if (expires < 1 || expires > MAX_PRESIGNED.toSeconds()) {
        throw new Denied("X-Amz-Expires must be between 1 and 604800 seconds");
      }
      if (now.isBefore(time.minus(skew)) || now.isAfter(time.plusSeconds(expires))) {
        throw new Denied("the presigned URL is not valid at this time (expired or not yet valid)");
      }
    } else {
      throw new Denied(
          "the request is not signed: sign it with the temporary credentials of"
              + " AssumeRoleWithWebIdentity");
    }
    Session session = session(token, auth.get("Credential"), amzDate);
    String signedHeaders = auth.get("SignedHeaders");
    String signature = auth.get("Signature");
    if (signedHeaders == null || signature == null) {
      throw new Denied("the Authorization header lacks SignedHeaders or Signature");
    }
    requireSigned(auth, "host");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : signedHeaders.split(";", -1)) {
      List<String> values = request.headers().get(name);
      if (values == null) {
        throw new Denied("the signed header " + name + " is missing from the request");
      }
      headers.put(name, SigV4.canonicalHeaderValue(values));
    }
    List<SigV4.Parameter> signedQuery = new ArrayList<>();
    for (SigV4.Parameter p : query) {
      if (!p.name().equals("X-Amz-Signature")) {
        signedQuery.add(p);
      }
    }
    String canonicalUri;
    try {
      canonicalUri = SigV4.encodePath(SigV4.decode(request.rawPath(), false));
    } catch (IllegalArgumentException e) {
      throw new Denied("the path is not validly percent-encoded");
    }
    String canonical =
        SigV4.canonicalRequest(
            request.method(),
            canonicalUri,
            SigV4.canonicalQuery(signedQuery),
            headers,
            signedHeaders,
            payloadHash);
    String scope = SigV4.scope(amzDate.substring(0, 8), region);
    String expected =
        SigV4.signature(
            session.secretAccessKey(),
            amzDate.substring(0, 8),
            region,
            SigV4.stringToSign(amzDate, scope, canonical));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      throw new Denied(
          "the request signature does not match (tampered, or signed with another key)");
    }
    return new Verified(
        session,
        payloadHash,
        ChunkedUpload.supported(payloadHash)
            ? new AwsChunkedDecoder.Seed(session.secretAccessKey(), amzDate, region, signature)
            : null);
  }

  /** Opens the session token and checks it against the credential scope. */
  private Session session(@Nullable String token, @Nullable String credential, String amzDate)
      throws Denied {
    if (token == null || token.isEmpty()) {
      throw new Denied(
          "the request has no session token: use the temporary credentials of"
              + " AssumeRoleWithWebIdentity");
    }
    Optional<Session> opened = sealer.open(token);
    if (opened.isEmpty()) {
      throw new Denied("the session token is not valid (forged, changed, or of a retired key)");
    }
    Session session = opened.get();
    if (!clock.instant().isBefore(session.expiresAt())) {
      throw new Denied("the session token expired at " + session.expiresAt());
    }
    if (revocations.revoked(session.issuer(), session.subject())) {
      throw new Denied("the sessions of this identity are revoked");
    }
    String[] scope = credential == null ? new String[0] : credential.split("/", -1);
    if (scope.length != 5) {
      throw new Denied("the credential is not AKID/date/region/s3/aws4_request");
    }
    if (!scope[0].equals(session.accessKeyId())) {
      throw new Denied("the access key id is not the one issued with the session token");
    }
    if (!scope[1].equals(amzDate.substring(0, 8))
        || !scope[2].equals(region)
        || !scope[3].equals("s3")
        || !scope[4].equals("aws4_request")) {
      throw new Denied(
          "the credential scope must be " + SigV4.scope(amzDate.substring(0, 8), region));
    }
    return session;
  }

  /** The {@code name=value} fields of an {@code Authorization} header (no split, no regex). */
  private static Map<String, String> authorizationFields(String text) throws Denied {
    Map<String, String> out = new HashMap<>(8);
    int start = 0;
    while (start <= text.length()) {
      int comma = text.indexOf(',', start);
      int end = comma < 0 ? text.length() : comma;
      String field = text.substring(start, end).trim();
      int eq = field.indexOf('=');
      if (eq <= 0) {
        throw new Denied("the Authorization header is malformed");
      }
      out.put(field.substring(0, eq), field.substring(eq + 1));
      start = end + 1;
    }
    return out;
  }

  /** Requires {@code header} among the {@code ;}-separated signed header names (no split). */
  private static void requireSigned(Map<String, String> auth, String header) throws Denied {
    String signed = auth.getOrDefault("SignedHeaders", "");
    for (int at = signed.indexOf(header); at >= 0; at = signed.indexOf(header, at + 1)) {
      int end = at + header.length();
      if ((at == 0 || signed.charAt(at - 1) == ';')
          && (end == signed.length() || signed.charAt(end) == ';')) {
        return;
      }
    }
    throw new Denied("the header " + header + " must be signed");
  }

  private static @Nullable String find(List<SigV4.Parameter> query, String name) {
    for (SigV4.Parameter p : query) {
      if (p.name().equals(name)) {
        return p.value();
      }
    }
    return null;
  }

  private static String required(List<SigV4.Parameter> query, String name) throws Denied {
    String value = find(query, name);
    if (value == null || value.isEmpty()) {
      throw new Denied("the presigned URL lacks " + name);
    }
    return value;
  }

  /** Parses {@code yyyyMMdd'T'HHmmss'Z'} by position (the formatter was a hot spot per request). */
  private static Instant parseAmzDate(String text) throws Denied {
    if (text.length() != 16 || text.charAt(8) != 'T' || text.charAt(15) != 'Z') {
      throw new Denied("the request time is not yyyyMMdd'T'HHmmss'Z'");
    }
    try {
      return LocalDateTime.of(
              digits(text, 0, 4),
              digits(text, 4, 6),
              digits(text, 6, 8),
              digits(text, 9, 11),
              digits(text, 11, 13),
              digits(text, 13, 15))
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new Denied("the request time is not yyyyMMdd'T'HHmmss'Z'");
    }
  }

  private static int digits(String text, int from, int to) throws Denied {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new Denied("the request time is not yyyyMMdd'T'HHmmss'Z'");
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static Instant parseHttpDate(@Nullable String text) throws Denied {
    if (text == null) {
      throw new Denied("the request has neither x-amz-date nor Date");
    }
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new Denied("the Date header is not an HTTP date");
    }
  }
}
