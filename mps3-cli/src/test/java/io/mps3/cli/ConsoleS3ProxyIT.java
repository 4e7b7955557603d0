package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code mps3 console} (its page from the jar) over S3Proxy, with credentials from the
 * AWS_* variables: it finds the manifests by listing the bucket over S3 and writes through the
 * client, and refuses a request without its token. The browser tests run on the local directory.
 */
class ConsoleS3ProxyIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void console_overS3_servesThePage_findsTheManifests_andWritesThroughTheClient() throws Exception {
    S3ProxyServer server = S3ProxyServer.shared();
    String bucket = "console";
    try (S3ObjectStore store = server.storeWithBucket(bucket);
        Mps3Client lobby =
            Mps3Client.create(
                Mps3Config.builder()
                    .store(store)
                    .bucket(bucket)
                    .manifest("rooms/lobby.json")
                    .pollInterval(Duration.ofMillis(100))
                    .build())) {
      lobby.put("topic", "welcome");
      Cli cli =
          Cli.packaged(
              dir,
              Map.of(
                  "AWS_ACCESS_KEY_ID",
                  S3ProxyServer.ACCESS_KEY,
                  "AWS_SECRET_ACCESS_KEY",
                  S3ProxyServer.SECRET_KEY));
      Process console =
          cli.start(
              "console", "console", "--endpoint", server.endpoint().toString(), "--bucket", bucket);
      try {
        Eventually.eventually(
            Duration.ofSeconds(60),
            () -> {
              assertThat(console.isAlive()).as(cli.output("console.err")).isTrue();
              assertThat(cli.output("console.out")).contains("\nhttp://");
            });
        URI url =
            URI.create(
                cli.output("console.out")
                    .lines()
                    .filter(l -> l.startsWith("http://"))
                    .findFirst()
                    .orElseThrow());

        assertThat(send("GET", url, null).body()).contains("<title>mps3 console</title>");
        assertThat(send("GET", url.resolve("console.js"), null).statusCode()).isEqualTo(200);
        assertThat(send("GET", url.resolve("api/manifests"), null).body())
            .contains("{\"manifest\":\"manifest.json\",\"protocol\":\"causal\",\"given\":true}")
            .contains(
                "{\"manifest\":\"rooms/lobby.json\",\"protocol\":\"causal\",\"given\":false}");
        HttpResponse<String> put =
            send(
                "PUT",
                url.resolve("api/value?manifest=rooms%2Flobby.json&protocol=causal&key=topic"),
                "{\"text\": \"hello from the console\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Eventually.eventually(
            Duration.ofSeconds(20),
            () ->
                assertThat(lobby.get("topic").orElseThrow().path("text").asText())
                    .isEqualTo("hello from the console"));
        HttpResponse<String> refused = send("GET", url.resolve("/api/manifests"), null);
        assertThat(refused.statusCode()).isEqualTo(403);
      } finally {
        console.destroy(); // SIGTERM, as Ctrl-C: the console stops its server and clients
        assertThat(console.waitFor(30, TimeUnit.SECONDS)).as("stopped in 30 s").isTrue();
      }
      assertThat(cli.output("console.err")).isEmpty();
    }
  }

  private static HttpResponse<String> send(String method, URI uri, @Nullable String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
