package io.mps3.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An S3 request as it arrived, before any check: what the signature check and the rules read,
 * independent of the HTTP server.
 *
 * @param method the HTTP method
 * @param rawPath the path exactly as sent (percent-encoded)
 * @param rawQuery the query exactly as sent, empty when none
 * @param headers header values by lowercase name, in arrival order
 */
record IncomingRequest(
    String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

  /** The first value of a header, or null. */
  @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The declared {@code Content-Length}: 0 without a body, -1 when chunked or unreadable. */
  long contentLength() {
    String value = header("content-length");
    if (value == null) {
      return header("transfer-encoding") == null ? 0 : -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
