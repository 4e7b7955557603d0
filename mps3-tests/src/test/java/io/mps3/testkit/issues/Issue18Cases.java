package io.mps3.testkit.issues;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import io.mps3.testkit.ClientContractBase;
import io.mps3.testkit.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Issue #18, part 1: a write of a key that a manifest's own objects reserve (design 0007) fails its
 * future with INVALID naming the key, the manifest and the reason, and writes nothing. Subclassed
 * once per store.
 */
abstract class Issue18Cases extends ClientContractBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A client of this test's manifest in the given protocol, closed after the test. */
  Mps3AsyncClient client(Protocol protocol) {
    return client(Clock.systemUTC(), b -> b.protocol(protocol));
  }

  /** Every object whose name starts with the manifest's: its log and any content of its keys. */
  private List<String> objectsNamedLikeTheManifest() {
    return await(store().listAll(bucket(), manifest, null)).stream()
        .map(ObjectMetadata::key)
        .toList();
  }

  private static Mps3Exception refusal(CompletableFuture<?> call) {
    try {
      call.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(Mps3Exception.class);
      Mps3Exception failure = (Mps3Exception) e.getCause();
      assertThat(failure.kind()).isEqualTo(ErrorKind.INVALID);
      return failure;
    }
    throw new AssertionError("the call succeeded");
  }

  private void assertRefused(CompletableFuture<?> call, String key, String reason) {
    assertThat(refusal(call).getMessage())
        .contains("key \"" + key + "\"")
        .contains("manifest \"" + manifest + "\"")
        .contains(reason);
  }

  @Test
  void causal_keysNamedLikeTheManifest_areRefused_andNothingIsWritten() {
    Mps3AsyncClient client = client(Protocol.CAUSAL);
    await(client.put(manifest + "-free", 1)); // shares the name's start, but not "M" nor "M@"
    List<String> before = objectsNamedLikeTheManifest();
    String js = "the JavaScript client's cleanup";

    assertRefused(client.put(manifest, 1), manifest, js);
    assertRefused(client.put(manifest + "@x", 1), manifest + "@x", js);
    assertRefused(client.delete(manifest + "@"), manifest + "@", js);
    Map<String, Object> batch = new LinkedHashMap<>();
    batch.put(manifest + "-ok", 2);
    batch.put(manifest + "@x", 3);
    assertRefused(client.putAll(batch), manifest + "@x", js);
    // A key reserved by the client's default manifest stays refused when written elsewhere: a
    // JavaScript client reading the default manifest would still delete its content.
    assertRefused(
        client.put(manifest + "@y", 4, WriteOptions.manifests(manifest + "-other")),
        manifest + "@y",
        js);

    assertThat(objectsNamedLikeTheManifest()).isEqualTo(before);
    Mps3AsyncClient reader = client(Protocol.CAUSAL);
    assertThat(await(reader.keys(""))).containsExactly(manifest + "-free");
  }

  @Test
  void strict_keysOfTheStrictLayout_areRefusedByEveryWrite_andNothingIsWritten() {
    StrictAsyncClient client = (StrictAsyncClient) client(Protocol.STRICT);
    await(client.put("k", 1));
    List<String> before = objectsNamedLikeTheManifest();
    String head = manifest + "/head";
    String entry = manifest + "/log/00000000000000000001";
    String checkpoint = manifest + "/checkpoint/x";

    assertRefused(client.put(head, 1), head, "head hint");
    assertRefused(client.put(entry, 1), entry, "log prefix " + manifest + "/log/");
    assertRefused(client.delete(checkpoint), checkpoint, "checkpoint prefix");
    assertRefused(client.putAll(Map.of("j", 2, entry, 3)), entry, "log prefix");
    assertRefused(client.create(head, 1), head, "head hint");
    assertRefused(client.compareAndSet(entry, Versioned.NONE, 1), entry, "log prefix");
    assertRefused(
        client.transaction(
            tx -> {
              tx.put("j", 5);
              tx.put(checkpoint, 6);
              return null;
            }),
        checkpoint,
        "checkpoint prefix");

    assertThat(objectsNamedLikeTheManifest()).isEqualTo(before);
    Mps3AsyncClient reader = client(Protocol.STRICT);
    assertThat(await(reader.keys(""))).containsExactly("k");
    assertThat(await(reader.get("k"))).contains(IntNode.valueOf(1));
  }

  @Test
  void strict_keysNamedLikeTheManifest_areAccepted_becauseNoLogOfItsLayoutIsThere() {
    // Design 0007: the strict layout has no object "M" nor "M@..."; only a causal reader of the
    // same name would collide, and one protocol per manifest rules that out.
    Mps3AsyncClient client = client(Protocol.STRICT);
    await(client.put(manifest, 1));
    await(client.put(manifest + "@x", 2));
    assertThat(await(client(Protocol.STRICT).get(manifest + "@x"))).contains(IntNode.valueOf(2));
  }

  // -- item 3: keys another client wrote that this one would not ------------------------------

  /** An entry as the JavaScript client writes it, mapping each key to a fresh version. */
  private Map<String, String> entryByHand(List<String> keys) {
    Map<String, String> versions = new LinkedHashMap<>();
    StringBuilder files = new StringBuilder();
    for (String key : keys) {
      String version = UUID.randomUUID().toString();
      versions.put(key, version);
      files
          .append(files.length() == 0 ? "" : ",")
          .append(JSON.valueToTree(bucket() + "/" + key).toString())
          .append(":{\"version\":\"")
          .append(version)
          .append("\",\"replication\":\"\"}");
    }
    String body = "{\"files\":{},\"update\":{\"files\":{" + files + "}}}";
    putByHand(new CausalLayout(manifest).entryKey(System.currentTimeMillis(), "js0", 0), body);
    return versions;
  }

  void putByHand(String key, String body) {
    await(
        store()
            .put(
                bucket(),
                key,
                body.getBytes(StandardCharsets.UTF_8),
                PutOptions.unconditional().withContentType(PutOptions.JSON)));
  }

  @Test
  void causal_keysOfAnotherClient_thatThisOneWouldNotWrite_areReadOrNamedInAnError()
      throws InterruptedException {
    Mps3AsyncClient java = client(Protocol.CAUSAL);
    await(java.put("k", 1));
    String reserved = manifest + "@x";
    String longKey = manifest + "/" + "l".repeat(1000 - manifest.length() - 1); // 1000 bytes
    String overLong = "o".repeat(1100);
    Map<String, String> versions = entryByHand(List.of(reserved, longKey, overLong));
    // The store holds the reserved key's content; a 1037-byte content name fits in no store.
    putByHand(reserved + "@" + versions.get(reserved), "\"from javascript\"");

    Mps3AsyncClient reader = client(Protocol.CAUSAL);
    Recorder all = new Recorder();
    try (Subscription ignored = reader.subscribePrefix("", ReadOptions.defaults(), all)) {
      assertThat(await(reader.keys(""))).contains("k", reserved, longKey, overLong);
      assertThat(await(reader.get(reserved))).contains(TextNode.valueOf("from javascript"));
      assertThat(refusal(reader.get(longKey)).getMessage())
          .contains("key \"" + manifest + "/lll")
          .contains("1000 bytes, written by another client) cannot be read")
          .contains("at most 987 bytes");
      assertThat(refusal(reader.get(overLong)).getMessage())
          .contains("\"ooo")
          .contains("1100 UTF-8 bytes, at most 1024 allowed");
      // Subscriptions report them and go on: a later write still arrives.
      assertThat(all.awaitError(Duration.ofSeconds(10)).getMessage()).contains("cannot be read");
      await(java.put("k", 2));
      all.await(
          c -> c.key().equals("k") && c.value().equals(Optional.of(IntNode.valueOf(2))),
          Duration.ofSeconds(10));
      // Reported once per key and version, not on every poll (20 polls meanwhile, at 50 ms).
      Thread.sleep(1000);
      assertThat(all.errors())
          .extracting(Mps3Exception::getMessage)
          .satisfiesExactlyInAnyOrder(
              m -> assertThat(m).contains("\"" + manifest + "/lll"),
              m -> assertThat(m).contains("\"ooo"));
    }
  }
}
