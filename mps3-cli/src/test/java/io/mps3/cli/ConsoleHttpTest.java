package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.testkit.Eventually;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code mps3 console} over plain HTTP, as a script with the URL would use it: the token check and
 * the JSON API (the probe runs from the page, in ConsoleBrowserTest). One console for the class, on
 * a local directory; its default manifest is strict, and a causal manifest is found in the bucket.
 */
// The methods share the console and touch different keys.
@Execution(ExecutionMode.CONCURRENT)
class ConsoleHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;

  private static ConsoleRun console;
  private static StrictClient strict;
  private static Mps3Client causal;

  @BeforeAll
  static void start() {
    Path data = dir.resolve("mps3-data");
    strict =
        StrictClient.create(Mps3Config.builder().localDirectory(data).strictProtocol().build());
    causal =
        Mps3Client.create(
            Mps3Config.builder()
                .localDirectory(data)
                .manifest("rooms/lobby.json")
                .pollInterval(Duration.ofMillis(50))
                .build());
    causal.put("topic", "welcome");
    strict.put("n", 1);
    console = ConsoleRun.start("--dir", data.toString(), "--strict");
  }

  @AfterAll
  static void stop() throws Exception {
    assertThat(console.stop()).isZero();
    causal.close();
    strict.close();
  }

  @Test
  void everyRequestWithoutTheToken_isRefused_andTheTokenIsPrintedOnlyInTheUrl() throws Exception {
    String token = console.url().getPath().replace("/", "");
    assertThat(token).hasSizeGreaterThanOrEqualTo(22); // 128 bits or more in Base64
    String forged = "/" + (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1) + "/";
    for (String path :
        List.of(
            "/",
            "/api/manifests",
            "/api/events?manifest=manifest.json&protocol=strict",
            forged,
            forged + "api/keys?manifest=manifest.json&protocol=strict",
            "/" + token.substring(0, token.length() - 1) + "/")) {
      HttpResponse<String> refused = send("GET", console.withoutToken().resolve(path), null);
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(refused.body())
          .as(path)
          .contains("needs the console's token", "Open the URL that `mps3 console` printed")
          .doesNotContain(token);
    }
    assertThat(send("PUT", console.withoutToken().resolve("/api/value?key=x"), "1").statusCode())
        .isEqualTo(403);
    assertThat(send("GET", console.url(), null).statusCode()).isEqualTo(200);
    assertThat(console.out().split(token, -1)).hasSize(2); // once, in the URL
    assertThat(console.err()).doesNotContain(token);
  }

  @Test
  void jsonApi_findsTheManifests_andReadsAndWritesValuesThroughTheClient() throws Exception {
    JsonNode manifests = json(get("api/manifests"));
    assertThat(manifests.get("manifests").toString())
        .contains("{\"manifest\":\"manifest.json\",\"protocol\":\"strict\",\"given\":true}")
        .contains("{\"manifest\":\"rooms/lobby.json\",\"protocol\":\"causal\",\"given\":false}");
    String lobby = "manifest=rooms%2Flobby.json&protocol=causal";
    assertThat(json(get("api/keys?" + lobby)).get("keys").toString()).isEqualTo("[\"topic\"]");
    JsonNode topic = json(get("api/value?" + lobby + "&key=topic"));
    assertThat(topic.get("text").asText()).isEqualTo("\"welcome\"");
    assertThat(topic.get("version").isNull()).isTrue();

    HttpResponse<String> put =
        send("PUT", api("api/value?" + lobby + "&key=" + encode("plan/ä b")), "{\"day\": [1, 2]}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(json(put).get("text").asText()).isEqualTo("{\n  \"day\": [\n    1,\n    2\n  ]\n}");
    Eventually.eventually(
        Duration.ofSeconds(10),
        () ->
            assertThat(causal.get("plan/ä b").map(JsonNode::toString)).hasValue("{\"day\":[1,2]}"));

    HttpResponse<String> bad = send("PUT", api("api/value?" + lobby + "&key=topic"), "{\"a\": }");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText())
        .startsWith("invalid JSON in the value of \"topic\" at line 1, column 7: Unexpected");
    assertThat(causal.get("topic").orElseThrow().asText()).isEqualTo("welcome");

    HttpResponse<String> deleted = send("DELETE", api("api/value?" + lobby + "&key=topic"), null);
    assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
    Eventually.eventually(Duration.ofSeconds(10), () -> assertThat(causal.get("topic")).isEmpty());
  }

  @Test
  void strictEdit_againstAVersionSomeoneElseReplaced_isAConflict_andNothingIsOverwritten()
      throws Exception {
    String main = "manifest=manifest.json&protocol=strict";
    strict.put("doc", "first");
    long shown = json(get("api/value?" + main + "&key=doc")).get("version").asLong();
    strict.put("doc", "theirs"); // another writer, after the page showed the value
    HttpResponse<String> mine =
        send("PUT", api("api/value?" + main + "&key=doc&version=" + shown), "\"mine\"");
    assertThat(mine.statusCode()).isEqualTo(409);
    JsonNode conflict = json(mine);
    assertThat(conflict.get("error").asText())
        .startsWith("conflict: \"doc\" changed since version " + shown)
        .contains("Your change was not saved");
    assertThat(conflict.at("/current/text").asText()).isEqualTo("\"theirs\"");
    assertThat(strict.getVersioned("doc").orElseThrow().value().asText()).isEqualTo("theirs");

    long now = conflict.at("/current/version").asLong();
    HttpResponse<String> again =
        send("PUT", api("api/value?" + main + "&key=doc&version=" + now), "\"mine\"");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(strict.getVersioned("doc").orElseThrow().value().asText()).isEqualTo("mine");
  }

  @Test
  void events_streamTheCurrentValues_thenEachChange() throws Exception {
    strict.put("live/a", 1);
    HttpURLConnection stream =
        (HttpURLConnection)
            api("api/events?manifest=manifest.json&protocol=strict").toURL().openConnection();
    stream.setReadTimeout(20_000);
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(stream.getContentType()).startsWith("text/event-stream");
      waitFor(lines, "\"key\":\"live/a\",\"text\":\"1\"");
      strict.put("live/a", 2);
      waitFor(lines, "\"key\":\"live/a\",\"text\":\"2\"");
      strict.delete("live/a");
      waitFor(lines, "\"key\":\"live/a\",\"deleted\":true");
    } finally {
      stream.disconnect();
    }
  }

  @Test
  void aPortInUse_isExitCodeTwo_namingTheAddress() {
    String port = String.valueOf(console.url().getPort());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            List.of("console", "--dir", dir.resolve("mps3-data").toString(), "--port", port),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Cli.context(dir, Map.of()));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("mps3 console: cannot listen on 127.0.0.1:" + port + " (")
        .contains("pick another --port or --bind");
  }

  /** Reads event lines until one holds {@code text}; the read timeout fails a missing one. */
  private static void waitFor(BufferedReader lines, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("data: ") && line.contains(text)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new AssertionError("no event with " + text + " within 20 s");
  }

  private static URI api(String path) {
    return console.url().resolve(path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> response = send("GET", api(path), null);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response;
  }

  private static HttpResponse<String> send(String method, URI uri, @Nullable String body)
      throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .method(method, publisher)
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
