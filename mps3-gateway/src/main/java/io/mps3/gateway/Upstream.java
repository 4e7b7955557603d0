package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpFields;
import org.jspecify.annotations.Nullable;

/**
 * The store behind the gateway: sends a checked request on, path-style, re-signed with the
 * gateway's own credentials, and hands back the store's answer as a stream. Only headers that say
 * what the request is (content headers, conditions, ranges, {@code x-amz-*} but the caller's
 * authentication) go upstream; the payload hash the caller signed goes too, so a store that checks
 * it checks the body again.
 *
 * <p>The client is the gateway's own ({@link UpstreamClient}: blocking sockets, kept alive and
 * pooled, so the handler thread that checked a request also sends it and reads the answer's head);
 * it adds nothing of its own to the request (no {@code User-Agent}, {@code Accept-Encoding} or
 * {@code Content-Type}), keeps no cookies, and follows no redirect and no authentication challenge:
 * the store's answer goes back as it is (design 0014, "The upstream client"). Its connections close
 * with the gateway. Thread-safe.
 */
final class Upstream implements AutoCloseable {

  /** The store's answer: its status, its headers and its body, streamed. */
  record Answer(int status, HttpFields headers, InputStream body) {}

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
   * How long the store may stay silent in an exchange (each read of the connection waits at most
   * this long). Generous, since MPS3's values are small and a slow store should answer its own
   * timeout, not the gateway's.
   */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * How long a pooled connection may sit idle before the gateway closes it: under the idle timeouts
   * stores commonly have, so the gateway closes first. (An exchange in progress may be silent up to
   * {@link #RESPONSE_TIMEOUT}.)
   */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Idle connections kept per store. Each of the gateway's connection threads (up to 1,000) uses
   * one at a time; past this many idle, a returned connection is closed instead of kept.
   */
  private static final int MAX_CONNECTIONS = 256;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final GatewayConfig.Upstream config;
  private final Clock clock;
  private final UpstreamClient http;
  private final String hostHeader;

  Upstream(GatewayConfig.Upstream config, Clock clock) {
    this(
        config,
        clock,
        new UpstreamClient(
            config.endpoint(),
            CONNECT_TIMEOUT,
            RESPONSE_TIMEOUT,
            IDLE_TIMEOUT,
            MAX_CONNECTIONS,
            UpstreamTrust.socketFactory(config.trustStore())));
  }

  /** An upstream on a given client (tests: other timeouts, connections counted). */
  Upstream(GatewayConfig.Upstream config, Clock clock, UpstreamClient http) {
    this.config = config;
    this.clock = clock;
    this.http = http;
    URI endpoint = config.endpoint();
    int port = endpoint.getPort();
    boolean defaultPort =
        port < 0
            || ("http".equals(endpoint.getScheme()) && port == 80)
            || ("https".equals(endpoint.getScheme()) && port == 443);
    this.hostHeader = defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
  }

  /** The last {@code x-amz-date} formatted, with its second: formatting it was a hot spot. */
  private record Stamp(long second, String text) {}

  private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

  private String amzDate() {
    Instant now = clock.instant();
    Stamp last = stamp;
    if (last.second() != now.getEpochSecond()) {
      last = new Stamp(now.getEpochSecond(), AMZ_DATE.format(now));
      stamp = last;
    }
    return last.text();
  }

  /** Closes the pooled connections to the store. */
  @Override
  public void close() {
    http.close();
  }

  /**
   * Sends a request upstream.
   *
   * @param canonicalPath the request's path, decoded and encoded again the S3 way
   * @param query the request's decoded query, authentication parameters included (dropped here)
   * @param headers the caller's headers by lowercase name
   * @param body the body, read as the store's connection takes it, or null for none
   * @param length the body's length, 0 without a body
   * @param payloadHash the payload hash the caller signed
   */
  Answer send(
      String method,
      String canonicalPath,
      List<SigV4.Parameter> query,
      Map<String, List<String>> headers,
      @Nullable InputStream body,
      long length,
      String payloadHash)
      throws IOException {
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
    String amzDate = amzDate();
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
    String authorization =
        SigV4.authorization(config.accessKeyId(), scope, signedHeaders, signature);
    List<Map.Entry<String, String>> sent = new ArrayList<>(signed.size() + 1);
    signed.forEach((name, value) -> sent.add(new AbstractMap.SimpleImmutableEntry<>(name, value)));
    sent.add(new AbstractMap.SimpleImmutableEntry<>("authorization", authorization));
    UpstreamClient.Exchange exchange =
        http.send(
            method,
            canonicalPath + rawQuery,
            sent, // host included: the one that was signed
            body != null && length > 0 ? body : null,
            body != null ? length : 0);
    return new Answer(exchange.head().status(), exchange.head().headers(), exchange.body());
  }
}
