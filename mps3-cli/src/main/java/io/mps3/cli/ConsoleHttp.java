package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reading requests and writing answers of the console's HTTP server. */
final class ConsoleHttp {

  /** The largest request body the console reads: a value being edited. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private ConsoleHttp() {}

  /** The query's parameters, decoded; the last one wins when a name repeats. */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(decode(name), decode(value));
    }
    return params;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** A required query parameter; a missing one is the caller's mistake (400). */
  static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null) {
      throw new UsageException("the request lacks the query parameter '" + name + "'");
    }
    return value;
  }

  /** The request body as UTF-8 text, at most {@link #MAX_BODY_BYTES}. */
  static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          throw new UsageException(
              "the value is over "
                  + MAX_BODY_BYTES / (1024 * 1024)
                  + " MiB; the console edits"
                  + " smaller ones");
        }
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Answers with a JSON document. */
  static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8", body.toString());
  }

  /** Answers {@code {"error": message}}, plus {@code current} for a conflict. */
  static void error(HttpExchange exchange, int status, String message, @Nullable JsonNode current)
      throws IOException {
    ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
    if (current != null) {
      body.set("current", current);
    }
    json(exchange, status, body);
  }

  /** Answers with a body of the given type. */
  static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    send(exchange, status, type, bytes);
  }

  /** Answers with a body of the given type. */
  static void send(HttpExchange exchange, int status, String type, byte[] bytes)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type);
    secure(headers);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Headers on every answer: nothing cached (the page holds the bucket's data), no referrer (the
   * URL holds the token), scripts and connections only from the console itself.
   */
  static void secure(Headers headers) {
    headers.set("Cache-Control", "no-store");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
  }
}
