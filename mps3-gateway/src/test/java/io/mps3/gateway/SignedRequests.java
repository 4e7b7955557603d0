package io.mps3.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hand-made SigV4 requests for the tests that must send what no well-behaved client sends: a
 * signature that does not match, a time outside the window, a body that is not the one signed.
 * Signed with the gateway's own SigV4 arithmetic, which {@link SigV4VerifierTest} checks against
 * AWS's published examples.
 */
final class SignedRequests {

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Temporary credentials as STS answered them. */
  record Credentials(String accessKeyId, String secret, String token) {}

  private SignedRequests() {}

  /**
   * A PUT of {@code body}, signed at {@code time}, declaring the SHA-256 of {@code signedBody} as
   * its payload hash.
   */
  static HttpRequest put(
      URI endpoint,
      Credentials credentials,
      String bucket,
      String key,
      String body,
      String signedBody,
      Instant time) {
    String hash =
        HexFormat.of()
            .formatHex(SigV4.sha256().digest(signedBody.getBytes(StandardCharsets.UTF_8)));
    return request(endpoint, credentials, "PUT", bucket, key, body, hash, time, false);
  }

  /** A PUT of {@code body} signed at {@code time} with {@code UNSIGNED-PAYLOAD}. */
  static HttpRequest unsignedPut(
      URI endpoint, Credentials credentials, String bucket, String key, String body, Instant time) {
    return request(
        endpoint, credentials, "PUT", bucket, key, body, SigV4.UNSIGNED_PAYLOAD, time, false);
  }

  /** A PUT of {@code body} signed at {@code time} with one character of its signature flipped. */
  static HttpRequest tamperedPut(
      URI endpoint, Credentials credentials, String bucket, String key, String body, Instant time) {
    String hash =
        HexFormat.of().formatHex(SigV4.sha256().digest(body.getBytes(StandardCharsets.UTF_8)));
    return request(endpoint, credentials, "PUT", bucket, key, body, hash, time, true);
  }

  /** A GET signed at {@code time}; {@code tamper} flips one character of the signature. */
  static HttpRequest get(
      URI endpoint,
      Credentials credentials,
      String bucket,
      String key,
      Instant time,
      boolean tamper) {
    return request(
        endpoint, credentials, "GET", bucket, key, "", SigV4.UNSIGNED_PAYLOAD, time, tamper);
  }

  /** A presigned GET URL, valid for {@code expires} seconds from {@code time}. */
  static URI presignedGet(
      URI endpoint, Credentials credentials, String bucket, String key, Instant time, int expires) {
    String amzDate = AMZ_DATE.format(time);
    String date = amzDate.substring(0, 8);
    String path = "/" + SigV4.encodeValue(bucket) + "/" + SigV4.encodePath(key);
    java.util.List<SigV4.Parameter> query =
        java.util.List.of(
            new SigV4.Parameter("X-Amz-Algorithm", SigV4.ALGORITHM),
            new SigV4.Parameter(
                "X-Amz-Credential",
                credentials.accessKeyId() + "/" + SigV4.scope(date, "us-east-1")),
            new SigV4.Parameter("X-Amz-Date", amzDate),
            new SigV4.Parameter("X-Amz-Expires", Integer.toString(expires)),
            new SigV4.Parameter("X-Amz-Security-Token", credentials.token()),
            new SigV4.Parameter("X-Amz-SignedHeaders", "host"));
    String canonicalQuery = SigV4.canonicalQuery(query);
    String canonical =
        SigV4.canonicalRequest(
            "GET",
            path,
            canonicalQuery,
            Map.of("host", endpoint.getHost() + ":" + endpoint.getPort()),
            "host",
            SigV4.UNSIGNED_PAYLOAD);
    String signature =
        SigV4.signature(
            credentials.secret(),
            date,
            "us-east-1",
            SigV4.stringToSign(amzDate, SigV4.scope(date, "us-east-1"), canonical));
    return URI.create(endpoint + path + "?" + canonicalQuery + "&X-Amz-Signature=" + signature);
  }

  private static HttpRequest request(
      URI endpoint,
      Credentials credentials,
      String method,
      String bucket,
      String key,
      String body,
      String payloadHash,
      Instant time,
      boolean tamper) {
    String amzDate = AMZ_DATE.format(time);
    String host = endpoint.getHost() + ":" + endpoint.getPort();
    String path = "/" + SigV4.encodeValue(bucket) + "/" + SigV4.encodePath(key);
    Map<String, String> headers = new TreeMap<>();
    headers.put("host", host);
    headers.put("x-amz-content-sha256", payloadHash);
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-security-token", credentials.token());
    String signedHeaders = String.join(";", headers.keySet());
    String canonical =
        SigV4.canonicalRequest(method, path, "", headers, signedHeaders, payloadHash);
    String date = amzDate.substring(0, 8);
    String signature =
        SigV4.signature(
            credentials.secret(),
            date,
            "us-east-1",
            SigV4.stringToSign(amzDate, SigV4.scope(date, "us-east-1"), canonical));
    if (tamper) {
      signature = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
    }
    HttpRequest.Builder out =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(
        (name, value) -> {
          if (!name.equals("host")) {
            out.header(name, value);
          }
        });
    out.header(
        "Authorization",
        SigV4.authorization(
            credentials.accessKeyId(), SigV4.scope(date, "us-east-1"), signedHeaders, signature));
    return out.build();
  }
}
