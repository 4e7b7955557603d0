package io.mps3.gateway;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Cross-origin access for browsers, as configured: answers preflight requests itself (they carry no
 * signature) and names the allowed origin on every answer to an allowed one, exposing the headers
 * MPS3 clients read (ETag, Date, version ids). Origins not configured get no CORS headers, so
 * browsers refuse the answer. Thread-safe.
 */
final class Cors {

  static final String EXPOSED =
      "ETag, Date, Last-Modified, Content-Length, x-amz-version-id, x-amz-request-id,"
          + " x-amz-delete-marker";
  private static final String METHODS = "GET, HEAD, PUT, POST, DELETE";

  private final GatewayConfig.Cors config;

  Cors(GatewayConfig.Cors config) {
    this.config = config;
  }

  /** Whether a request is a CORS preflight. */
  static boolean preflight(IncomingRequest request) {
    return request.method().equals("OPTIONS")
        && request.header("origin") != null
        && request.header("access-control-request-method") != null;
  }

  /** The value of {@code Access-Control-Allow-Origin} for a request, or null when not allowed. */
  @Nullable String allowedOrigin(IncomingRequest request) {
    String origin = request.header("origin");
    if (origin == null) {
      return null;
    }
    if (config.allowedOrigins().contains(origin)) {
      return origin;
    }
    return config.allowedOrigins().contains("*") ? "*" : null;
  }

  /** The headers of an allowed preflight's answer. */
  Map<String, String> preflightHeaders(String origin, IncomingRequest request) {
    String asked = request.header("access-control-request-headers");
    return Map.of(
        "Access-Control-Allow-Origin",
        origin,
        "Access-Control-Allow-Methods",
        METHODS,
        "Access-Control-Allow-Headers",
        asked == null ? "" : asked,
        "Access-Control-Max-Age",
        Long.toString(config.maxAge().toSeconds()),
        "Vary",
        "Origin");
  }

  /** The headers added to an ordinary answer to an allowed origin. */
  static Map<String, String> answerHeaders(String origin) {
    return Map.of(
        "Access-Control-Allow-Origin", origin,
        "Access-Control-Expose-Headers", EXPOSED,
        "Vary", "Origin");
  }
}
