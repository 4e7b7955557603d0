package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.Eventually;
import io.mps3.testkit.ForwardingObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Strict checkpoints in segments (design 0016): written as an index over content-addressed
 * segments, opened to the state the log holds across merges and new bases, old whole-state
 * checkpoints still opened, and cleanup deleting no segment a checkpoint names.
 */
class StrictSegmentedCheckpointTest {

  private static final String BUCKET = "segments";
  private static final String M = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore memory = ObjectStores.inMemory();
  private final Set<String> segmentsWritten = ConcurrentHashMap.newKeySet();
  private final ObjectStore store = new SegmentRecorder();
  private final OpenedStrictClients opened = new OpenedStrictClients(BUCKET);

  @AfterEach
  void close() throws Exception {
    opened.close();
  }

  private StrictAsyncClient client(UnaryOperator<Mps3Config.Builder> options) {
    return opened.client(store, options);
  }

  @Test
  void aWorkloadOfPutsAndDeletes_acrossDeltasAndMerges_opensToTheStateOfTheLog() {
    StrictAsyncClient writer = client(b -> b.checkpointInterval(2).disableAutoclean());
    Map<String, Integer> model = new TreeMap<>();
    Map<String, Object> fill = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      fill.put("k" + i, i);
      model.put("k" + i, i);
    }
    await(writer.putAll(fill));
    Random random = new Random(16);
    for (int op = 1; op <= 400; op++) {
      String key = "k" + random.nextInt(60);
      if (random.nextInt(10) < 3) {
        await(writer.delete(key));
        model.remove(key);
      } else {
        await(writer.put(key, 1000 + op));
        model.put(key, 1000 + op);
      }
      if (op % 100 == 0) {
        assertOpensTo(model);
      }
    }
    // the checkpoints were deltas on the previous one, and merges made runs of higher tiers
    JsonNode index = eventuallyNewestIndex();
    assertThat(index.path("deltas").size()).isPositive();
    assertThat(segmentsWritten).hasSizeGreaterThan(index.path("deltas").size() + 2);
    boolean merged = false;
    for (JsonNode run : index.path("deltas")) {
      merged |= run.path("tier").asInt() > 0;
    }
    assertThat(merged).as("a merged run in %s", index).isTrue();
    assertOpensTo(model);
  }

  @Test
  void twoWritersTakingTurns_writeDeltasOnEachOthersCheckpoints() {
    StrictAsyncClient alice = client(b -> b.checkpointInterval(2).disableAutoclean());
    StrictAsyncClient bob = client(b -> b.checkpointInterval(2).disableAutoclean());
    Map<String, Object> fill = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      fill.put("k" + i, i);
    }
    await(alice.putAll(fill)); // slot 1
    await(alice.put("k0", -1)); // slot 2: checkpoint 2, a base
    for (int turn = 1; turn <= 6; turn++) {
      StrictAsyncClient writer = turn % 2 == 1 ? bob : alice;
      await(writer.put("k" + turn, turn));
      await(writer.put("k" + turn, -turn)); // its checkpoint follows the other's
      long seq = 2 + 2L * turn;
      Eventually.eventually(
          Duration.ofSeconds(10),
          () -> assertThat(newestIndex().path("seq").asLong()).isEqualTo(seq));
      // a delta on the other writer's checkpoint, not a new base of all 300 keys
      assertThat(newestIndex().path("base").path("seq").asLong()).isEqualTo(2);
    }
    assertThat(await(client(b -> b).get("k6"))).contains(IntNode.valueOf(-6));
  }

  @Test
  void anOldWholeStateCheckpoint_stillOpens_andTheNextCheckpointIsAnIndex() {
    StrictAsyncClient old = client(b -> b.checkpointInterval(1000).disableAutoclean());
    await(old.put("a", 1)); // slot 1
    await(old.put("b", 2)); // slot 2
    await(old.delete("a")); // slot 3
    // what a client before design 0016 wrote: the whole state, then the head
    putRaw(
        M + "/checkpoint/" + String.format("%020d", 3),
        "{\"seq\":3,\"files\":{\"segments/b\":{\"value\":2,\"seq\":2}}}");
    putRaw(M + "/head", "{\"checkpoint\":3}");
    for (int n = 1; n <= 3; n++) {
      await(memory.delete(BUCKET, M + "/log/" + String.format("%020d", n)));
    }
    StrictAsyncClient reader = client(b -> b.checkpointInterval(5).disableAutoclean());
    assertThat(await(reader.keys(""))).containsExactly("b");
    await(reader.put("c", 3)); // slots 4 and 5: checkpoint 5 is an index
    await(reader.put("d", 4));
    JsonNode index = eventuallyNewestIndex();
    assertThat(index.path("seq").asLong()).isEqualTo(5);
    assertThat(await(client(b -> b).keys(""))).containsExactly("b", "c", "d");
  }

  @Test
  void aSegmentThatIsNotWhatItsNameHashes_sendsReadersToAnOlderCheckpoint() {
    StrictAsyncClient writer = client(b -> b.checkpointInterval(2).disableAutoclean());
    await(writer.putAll(Map.of("a", 1, "b", 2, "x", 0, "y", 0, "z", 0))); // slot 1
    await(writer.put("b", 2)); // checkpoint 2: a base of 5 files
    await(writer.put("a", 3));
    await(writer.put("c", 4)); // checkpoint 4: a delta of 2 on it
    JsonNode index = eventuallyNewestIndex();
    assertThat(index.path("seq").asLong()).isEqualTo(4);
    String delta = index.path("deltas").get(0).path("segments").get(0).path("segment").asText();
    putRaw(M + "/segment/" + delta, "{\"files\":{\"segments/a\":{\"value\":666,\"seq\":3}}}");
    StrictAsyncClient reader = client(b -> b.disableAutoclean());
    assertThat(await(reader.get("a"))).contains(IntNode.valueOf(3));
    assertThat(await(reader.keys(""))).containsExactly("a", "b", "c", "x", "y", "z");
  }

  @Test
  void cleanup_deletesRetiredSegments_butNoneThatACheckpointNames() {
    StrictAsyncClient writer =
        client(b -> b.checkpointInterval(2).autocleanGrace(Duration.ofSeconds(1)));
    Map<String, Object> fill = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      fill.put("k" + i, i);
    }
    await(writer.putAll(fill));
    for (int op = 0; op < 200; op++) {
      await(writer.put("k" + (op % 30), op));
    }
    Eventually.eventually(
        Duration.ofSeconds(10),
        () -> {
          Set<String> named = namedByListedCheckpoints();
          Set<String> listed = listedSegments();
          assertThat(listed).containsAll(named);
          assertThat(listed).hasSizeLessThan(segmentsWritten.size());
        });
    assertThat(await(client(b -> b).get("k29"))).contains(IntNode.valueOf(179));
  }

  private void assertOpensTo(Map<String, Integer> model) {
    StrictAsyncClient fresh = client(b -> b.disableAutoclean());
    assertThat(await(fresh.keys(""))).containsExactlyElementsOf(sortedKeys(model));
    for (Map.Entry<String, Integer> e : model.entrySet()) {
      assertThat(await(fresh.get(e.getKey()))).contains(IntNode.valueOf(e.getValue()));
    }
  }

  private static List<String> sortedKeys(Map<String, Integer> model) {
    return new ArrayList<>(new TreeMap<>(model).keySet());
  }

  /** The newest checkpoint, once it is an index (the writer writes it after acknowledging). */
  private JsonNode eventuallyNewestIndex() {
    AtomicReference<JsonNode> index = new AtomicReference<>();
    Eventually.eventually(Duration.ofSeconds(10), () -> index.set(newestIndex()));
    return Objects.requireNonNull(index.get());
  }

  private JsonNode newestIndex() {
    List<ObjectMetadata> listed = await(memory.listAll(BUCKET, M + "/checkpoint/", null));
    assertThat(listed).isNotEmpty();
    JsonNode root = read(listed.get(listed.size() - 1).key());
    assertThat(root.has("base")).as("an index: %s", root).isTrue();
    return root;
  }

  private Set<String> namedByListedCheckpoints() {
    Set<String> named = new HashSet<>();
    for (ObjectMetadata m : await(memory.listAll(BUCKET, M + "/checkpoint/", null))) {
      JsonNode root = read(m.key());
      root.path("base").path("segments").forEach(s -> named.add(s.path("segment").asText()));
      for (JsonNode run : root.path("deltas")) {
        run.path("segments").forEach(s -> named.add(s.path("segment").asText()));
      }
    }
    return named;
  }

  private Set<String> listedSegments() {
    Set<String> out = new HashSet<>();
    for (ObjectMetadata m : await(memory.listAll(BUCKET, M + "/segment/", null))) {
      out.add(m.key().substring((M + "/segment/").length()));
    }
    return out;
  }

  private JsonNode read(String key) {
    GetResult result = await(memory.get(BUCKET, key));
    assertThat(result).isInstanceOf(GetResult.Found.class);
    try {
      return JSON.readTree(((GetResult.Found) result).object().body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void putRaw(String key, String body) {
    await(
        memory.put(BUCKET, key, body.getBytes(StandardCharsets.UTF_8), PutOptions.unconditional()));
  }

  /** The in-memory store, noting the name of every segment written. */
  private final class SegmentRecorder extends ForwardingObjectStore {

    SegmentRecorder() {
      super(memory);
    }

    @Override
    public CompletableFuture<PutOutcome> put(
        String bucket, String key, byte[] body, PutOptions options) {
      if (key.startsWith(M + "/segment/")) {
        segmentsWritten.add(key);
      }
      return memory.put(bucket, key, body, options);
    }
  }
}
