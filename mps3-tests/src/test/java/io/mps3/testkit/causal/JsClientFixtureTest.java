package io.mps3.testkit.causal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalLog;
import io.mps3.internal.causal.CausalSettings;
import io.mps3.internal.causal.CausalView;
import io.mps3.internal.content.CausalContent;
import io.mps3.internal.store.InMemoryObjectStore;
import io.mps3.testkit.Futures;
import io.mps3.testkit.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Buckets written by the original JavaScript client (0.0.81) resolve to exactly the state it
 * resolves them to: PROTOCOL.md part A, checked against the real thing.
 */
class JsClientFixtureTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIR = "/fixtures/js-client-0.0.81/";

  @ParameterizedTest
  @CsvSource({
    "bucket-unversioned.jsonl, expected-unversioned.jsonl, layout, false",
    "bucket-versioned.jsonl, expected-versioned.jsonl, layoutv, true"
  })
  void everyManifest_resolvesToTheStateTheJsClientResolvesItTo(
      String bucketFile, String expectedFile, String bucket, boolean versioned) throws IOException {
    ManualClock clock = new ManualClock(Instant.EPOCH);
    InMemoryObjectStore store = InMemoryObjectStore.versioned(clock);
    Instant newest = load(store, bucket, bucketFile);
    clock.set(newest.plus(Duration.ofSeconds(1)));

    for (JsonNode expected : lines(expectedFile)) {
      String manifest = expected.get("manifest").asText();
      CausalSettings settings = CausalSettings.defaults();
      settings =
          new CausalSettings(
              settings.window(),
              settings.lookahead(),
              settings.clockOffset(),
              false,
              versioned,
              settings.listEveryNthPoll(),
              settings.maxEntryBytes(),
              false,
              settings.autocleanGrace(),
              settings.windowClaims());
      CausalLog log =
          new CausalLog(
              store,
              bucket,
              new CausalLayout(manifest),
              clock,
              settings,
              "reader00",
              new AtomicLong(),
              (key, reason) -> {
                throw new AssertionError("skipped " + key + ": " + reason);
              });
      CausalView view = Futures.await(log.refresh(null));

      Map<String, JsonNode> state = new HashMap<>();
      for (String url : view.fileUrls()) {
        String dbKey = CausalLayout.dbKey(bucket, url);
        String version = view.version(url);
        if (dbKey != null && version != null) {
          state.put(
              dbKey,
              JSON.readTree(
                  Futures.await(
                      new CausalContent(store, bucket, versioned, (k, r) -> {}, Runnable::run)
                          .read(dbKey, version))));
        }
      }
      Map<String, JsonNode> expectedState = new HashMap<>();
      expected.get("state").properties().forEach(e -> expectedState.put(e.getKey(), e.getValue()));
      assertThat(state)
          .as("state of manifest %s in %s", manifest, bucketFile)
          .isEqualTo(expectedState);
    }
  }

  private static Instant load(InMemoryObjectStore store, String bucket, String file)
      throws IOException {
    List<JsonNode> objects = lines(file);
    // Oldest first; of two with the same time, the one that is not the latest goes first.
    objects.sort(
        Comparator.comparing((JsonNode o) -> Instant.parse(o.get("lastModified").asText()))
            .thenComparing(o -> o.path("isLatest").asBoolean(true)));
    Instant newest = Instant.EPOCH;
    for (JsonNode object : objects) {
      Instant lastModified = Instant.parse(object.get("lastModified").asText());
      newest = lastModified.isAfter(newest) ? lastModified : newest;
      boolean deleteMarker = "DeleteMarker".equals(object.path("type").asText());
      byte[] body =
          deleteMarker ? null : object.get("body").asText().getBytes(StandardCharsets.UTF_8);
      String versionId = object.hasNonNull("versionId") ? object.get("versionId").asText() : null;
      store.restore(bucket, object.get("key").asText(), body, versionId, lastModified);
    }
    return newest;
  }

  private static List<JsonNode> lines(String file) throws IOException {
    try (InputStream in = JsClientFixtureTest.class.getResourceAsStream(DIR + file)) {
      List<JsonNode> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
      return out;
    }
  }
}
