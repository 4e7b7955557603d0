package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The store behind the gateway: sends a checked request on, path-style, re-signed with the
 * gateway's own credentials, and hands back the store's answer as a stream. Only headers that say
 * what the request is (content headers, conditions, ranges, {@code x-amz-*} but the caller's
 * authentication) go upstream; the payload hash the caller signed goes too, so a store that checks
 * it checks the body again. Thread-safe.
 */
final class Upstream {

  /** Request headers passed upstream besides {@code x-amz-*}. */
  private static final List<String> PASSED =
      List.of(
          "content-type",
          "content-md5",
          "content-encoding",
          "content-disposition",
          "content-language",
          "cache-control",
          "expires",
          "if-match",
          "if-none-match",
          "if-modified-since",
          "if-unmodified-since",
          "range");

  /** {@code x-amz-*} headers of the caller's authentication, never passed. */
  private static final List<String> OWN =
      List.of("x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * How long the store may take to start answering, counted from the request's start: so it bounds
   * an upload's time too. Generous, since MPS3's values are small and a slow store should answer
   * its own timeout, not the gateway's.
   */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);

  private final GatewayConfig.Upstream config;
  private final Clock clock;
  private final HttpClient http;
  private final String hostHeader;

  Upstream(GatewayConfig.Upstream config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    URI endpoint = config.endpoint();
    int port = endpoint.getPort();
    boolean defaultPort =
        port < 0
            || ("http".equals(endpoint.getScheme()) && port == 80)
            || ("https".equals(endpoint.getScheme()) && port == 443);
    this.hostHeader = defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
  }

  /**
   * Sends a request upstream.
   *
   * @param canonicalPath the request's path, decoded and encoded again the S3 way
   * @param query the request's decoded query, authentication parameters included (dropped here)
   * @param headers the caller's headers by lowercase name
   * @param body the body, or null for none
   * @param length the body's length, 0 without a body
   * @param payloadHash the payload hash the caller signed
   */
  HttpResponse<InputStream> send(
      String method,
      String canonicalPath,
      List<SigV4.Parameter> query,
      Map<String, List<String>> headers,
      @Nullable InputStream body,
      long length,
      String payloadHash)
      throws IOException, InterruptedException {
    List<SigV4.Parameter> passed = new ArrayList<>();
    StringBuilder rawQuery = new StringBuilder();
    for (SigV4.Parameter p : query) {
      if (S3Operation.AUTH_PARAMETERS.contains(p.name())) {
        continue;
      }
      passed.add(p);
      rawQuery.append(rawQuery.length() == 0 ? "?" : "&").append(SigV4.encodeValue(p.name()));
      if (!p.value().isEmpty()) {
        rawQuery.append('=').append(SigV4.encodeValue(p.value()));
      }
    }
    TreeMap<String, String> signed = new TreeMap<>();
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey();
      if (PASSED.contains(name) || (name.startsWith("x-amz-") && !OWN.contains(name))) {
        signed.put(name, SigV4.canonicalHeaderValue(header.getValue()));
      }
    }
    String amzDate = AMZ_DATE.format(clock.instant());
    signed.put("x-amz-date", amzDate);
    signed.put("x-amz-content-sha256", payloadHash);
    signed.put("host", hostHeader);
    String signedHeaders = String.join(";", signed.keySet());
    String canonical =
        SigV4.canonicalRequest(
            method,
            canonicalPath,
            SigV4.canonicalQuery(passed),
            signed,
            signedHeaders,
            payloadHash);
    String date = amzDate.substring(0, 8);
    String scope = SigV4.scope(date, config.region());
    String signature =
        SigV4.signature(
            config.secretAccessKey(),
            date,
            config.region(),
            SigV4.stringToSign(amzDate, scope, canonical));
    URI endpoint = config.endpoint();
    URI uri = URI.create(endpoint.getScheme() + "://" + hostHeader + canonicalPath + rawQuery);
    HttpRequest.BodyPublisher publisher =
        body == null || length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> body), length);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).method(method, publisher);
    for (Map.Entry<String, String> header : signed.entrySet()) {
      if (!header.getKey().equals("host")) {
        request.header(header.getKey(), header.getValue());
      }
    }
    request.header(
        "Authorization",
        SigV4.ALGORITHM
            + " Credential="
            + config.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }
}
