package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.mps3.ErrorKind;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The console's JSON API, under {@code /<token>/api/}; the page uses it, and so may a script that
 * has the URL. A manifest is named by the query parameters {@code manifest} and {@code protocol}
 * ({@code causal} or {@code strict}), a key by {@code key}.
 *
 * <ul>
 *   <li>{@code GET info}: {@code {"store", "bucket", "manifest", "protocol"}} of the options;
 *   <li>{@code GET manifests}: {@code {"manifests": [{"manifest", "protocol", "given"}],
 *       "truncated"}}, those the bucket holds and the one the options name ({@code given});
 *   <li>{@code GET keys}: {@code {"keys": [..]}}, sorted;
 *   <li>{@code GET value}: {@code {"key", "text", "version"}} ({@code "deleted": true} when absent;
 *       version null for causal);
 *   <li>{@code PUT value}, the body the JSON text: writes it; with {@code version=N} (strict) only
 *       if the key still has version N, else 409 with the {@code current} value;
 *   <li>{@code DELETE value}: deletes, with {@code version=N} as PUT;
 *   <li>{@code GET events}: the manifest's changes as Server-Sent Events ({@link ConsoleEvents});
 *   <li>{@code POST doctor}: runs {@code doctor}'s capability probe, {@code {"text", "report"}}.
 * </ul>
 *
 * Errors answer {@code {"error": message}}: 400 for bad input (invalid JSON names the line and the
 * column), 404 for an unknown call, 409 for a conflict, 502 and 503 when the store failed.
 */
final class ConsoleApi {

  private final StoreOptions options;
  private final ObjectStore store;
  private final ConsoleClients clients;
  private final ConsoleEvents events;

  ConsoleApi(
      StoreOptions options, ObjectStore store, ConsoleClients clients, ConsoleEvents events) {
    this.options = options;
    this.store = store;
    this.clients = clients;
    this.events = events;
  }

  /** Answers the call {@code path} (the part after {@code api/}). */
  void handle(HttpExchange exchange, String path) throws IOException {
    try {
      Map<String, String> query = ConsoleHttp.query(exchange);
      switch (exchange.getRequestMethod() + " " + path) {
        case "GET info" -> ConsoleHttp.json(exchange, 200, info());
        case "GET manifests" -> ConsoleHttp.json(exchange, 200, manifests());
        case "GET keys" -> ConsoleHttp.json(exchange, 200, keys(client(query)));
        case "GET value" -> {
          String key = ConsoleHttp.required(query, "key");
          ConsoleHttp.json(exchange, 200, ConsoleValues.read(client(query), key).json(key));
        }
        case "PUT value" -> {
          String key = ConsoleHttp.required(query, "key");
          JsonNode value = Json.parse(ConsoleHttp.body(exchange), "the value of " + Json.key(key));
          write(exchange, query, key, value);
        }
        case "DELETE value" -> write(exchange, query, ConsoleHttp.required(query, "key"), null);
        case "GET events" -> events.stream(exchange, client(query));
        case "POST doctor" -> {
          Doctor.Probe probe = Doctor.probe(store, options.bucket);
          ObjectNode out = Json.MAPPER.createObjectNode().put("text", probe.text());
          ConsoleHttp.json(exchange, 200, out.set("report", probe.json()));
        }
        default ->
            ConsoleHttp.error(
                exchange,
                404,
                "no such call: " + exchange.getRequestMethod() + " api/" + path,
                null);
      }
    } catch (RuntimeException e) {
      ConsoleHttp.error(exchange, status(e), message(e), null);
    }
  }

  private ObjectNode info() {
    return Json.MAPPER
        .createObjectNode()
        .put("store", options.store())
        .put("bucket", options.bucket)
        .put("manifest", options.manifest)
        .put("protocol", options.protocolName());
  }

  private ObjectNode manifests() {
    ManifestFinder.Result found = ManifestFinder.find(store, options.bucket);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode list = out.putArray("manifests");
    ManifestFinder.Found given = new ManifestFinder.Found(options.manifest, options.protocol());
    list.add(manifest(given, true));
    for (ManifestFinder.Found manifest : found.manifests()) {
      if (!manifest.equals(given)) {
        list.add(manifest(manifest, false));
      }
    }
    return out.put("truncated", found.truncated());
  }

  private static ObjectNode manifest(ManifestFinder.Found manifest, boolean given) {
    return Json.MAPPER
        .createObjectNode()
        .put("manifest", manifest.manifest())
        .put("protocol", manifest.protocol() == Protocol.STRICT ? "strict" : "causal")
        .put("given", given);
  }

  private static ObjectNode keys(Mps3Client client) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode keys = out.putArray("keys");
    client.keys("").forEach(keys::add);
    return out;
  }

  /** The client of the manifest the query names. */
  private Mps3Client client(Map<String, String> query) {
    String manifest = ConsoleHttp.required(query, "manifest");
    Protocol protocol =
        switch (ConsoleHttp.required(query, "protocol")) {
          case "causal" -> Protocol.CAUSAL;
          case "strict" -> Protocol.STRICT;
          default -> throw new UsageException("unknown protocol (causal or strict)");
        };
    return clients.client(manifest, protocol);
  }

  /** Writes (null: deletes) and answers what the key holds, or 409 with it on a conflict. */
  private void write(
      HttpExchange exchange, Map<String, String> query, String key, @Nullable JsonNode value)
      throws IOException {
    Long expected = version(query.get("version"));
    ConsoleValues.Outcome outcome = ConsoleValues.write(client(query), key, value, expected);
    if (outcome.written()) {
      ConsoleHttp.json(exchange, 200, outcome.now().json(key));
      return;
    }
    Long now = outcome.now().version();
    ConsoleHttp.error(
        exchange,
        409,
        "conflict: "
            + Json.key(key)
            + " changed since version "
            + expected
            + " that you edited; it is "
            + (outcome.now().text() == null ? "deleted" : "at version " + now)
            + " now. Your change was not saved: look at the current value, then edit again.",
        outcome.now().json(key));
  }

  private static @Nullable Long version(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      long version = Long.parseLong(text);
      if (version >= 0) {
        return version;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException("version must be a number of 0 or more, was '" + text + "'");
  }

  private static int status(RuntimeException e) {
    if (e instanceof UsageException || e instanceof IllegalArgumentException) {
      return 400;
    }
    if (e instanceof Mps3Exception failure) {
      return switch (failure.kind()) {
        case INVALID -> failure.getCause() instanceof IllegalArgumentException ? 400 : 502;
        case CONFLICT -> 409;
        case UNAVAILABLE, OUTCOME_UNKNOWN, CLOSED -> 503;
        default -> 502;
      };
    }
    return e instanceof ObjectStoreException || e instanceof UncheckedIOException ? 502 : 500;
  }

  private static String message(RuntimeException e) {
    boolean known =
        e instanceof UsageException
            || e instanceof IllegalArgumentException
            || e instanceof Mps3Exception
            || e instanceof ObjectStoreException
            || e instanceof UncheckedIOException;
    String message = known ? String.valueOf(e.getMessage()) : "unexpected error: " + e;
    if (e instanceof Mps3Exception failure && failure.kind() == ErrorKind.OUTCOME_UNKNOWN) {
      message += " (reload the value to see whether the write took place)";
    }
    return message.replace('\n', ' ').replace('\r', ' ');
  }
}
