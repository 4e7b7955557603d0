package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalEntry;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.JsonMergePatch;
import io.mps3.internal.causal.WindowClaim;
import io.mps3.internal.strict.StrictLayout;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifest writes validated during passthrough (design 0014): the Java client of both protocols
 * still works through the gateway for its own keys, and forged manifest objects written with the
 * caller's own signed credentials are refused before they reach the store. One issuer, S3Proxy and
 * gateway for the class.
 */
class ManifestValidationIT {

  private static final String BUCKET = GatewayFixture.BUCKET;
  private static final String CAUSAL = "shared/causal";
  private static final String STRICT = "shared/strict";

  @TempDir static Path dir;
  private static GatewayFixture f;

  @BeforeAll
  static void start() throws Exception {
    f =
        GatewayFixture.start(
            dir,
            List.of(
                "  - name: shared-manifests", // by name: any object under shared/, then validated
                "    allow: request.operation == 'PutObject' && request.key.startsWith('shared/')",
                "  - name: own-documents", // what a manifest write may change
                "    allow: >-",
                "      request.operation == 'write'",
                "      && request.key.startsWith('users/' + claims.sub + '/')",
                "  - name: change-feed-markers", // empty objects that wake pollers (design 0017)
                "    allow: request.operation == 'PutObject' && request.key.startsWith('.mps3/changes/')",
                "validation:",
                "  trustedRule: admins",
                "  maxEntryBytes: 4k",
                "  maxValueBytes: 64k"));
    // The operator's recorded verdict on conditional creates, so strict clients skip the race.
    f.direct
        .put(
            BUCKET,
            ".mps3/strict-check.json",
            "{\"atomicConditionalCreates\": true}".getBytes(StandardCharsets.UTF_8),
            PutOptions.unconditional())
        .join();
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void javaClientsOfBothProtocols_writeTheirOwnKeys_andNotAnotherUsers() throws Exception {
    try (S3ObjectStore aliceStore = f.client(f.assume("alice", List.of()));
        S3ObjectStore bobStore = f.client(f.assume("bob", List.of()));
        Mps3Client alice = causal(aliceStore);
        Mps3Client bob = causal(bobStore);
        StrictClient aliceStrict = strict(aliceStore);
        StrictClient bobStrict = strict(bobStore)) {
      alice.put("users/alice/note", Map.of("n", 1));
      bob.put("users/bob/note", Map.of("n", 2));
      alice.put("users/alice/note", Map.of("n", 3)); // the entry carries bob's key unchanged
      bob.refresh();
      assertThat(bob.get("users/alice/note").orElseThrow().path("n").asInt()).isEqualTo(3);
      assertThat(alice.get("users/bob/note").orElseThrow().path("n").asInt()).isEqualTo(2);

      aliceStrict.put("users/alice/s", 1);
      bobStrict.put("users/bob/s", 2);
      aliceStrict.refresh();
      assertThat(aliceStrict.get("users/bob/s").orElseThrow().asInt()).isEqualTo(2);
      Map<String, String> before = objects();
      // Inline in a strict slot the rules allow by name: the gateway reads the slot and refuses.
      assertThatThrownBy(() -> aliceStrict.put("users/bob/s", 666))
          .hasMessageContaining("AccessDenied");
      assertThat(objects()).isEqualTo(before);
      bobStrict.refresh();
      assertThat(bobStrict.get("users/bob/s").orElseThrow().asInt()).isEqualTo(2);
    }
  }

  @Test
  void aChangeFeedClient_writesItsMarkersThroughTheGateway_underTheirRule() throws Exception {
    try (S3ObjectStore carolStore = f.client(f.assume("carol", List.of()));
        StrictClient carol =
            StrictClient.create(
                Mps3Config.builder()
                    .store(carolStore)
                    .bucket(BUCKET)
                    .manifest(STRICT)
                    .strictProtocol()
                    .changeFeed(true)
                    .build())) {
      carol.put("users/carol/fed", 1);
      // The marker is written after the commit is acknowledged, and nobody waits for it.
      Eventually.eventually(
          Duration.ofSeconds(10),
          () ->
              assertThat(f.direct.listAll(BUCKET, ".mps3/changes/", null).join())
                  .as("a marker of carol's commit, written through the gateway")
                  .isNotEmpty());
    }
  }

  @Test
  void forgedManifestObjects_areRefused_andLeaveTheBucketUnchanged() throws Exception {
    try (S3ObjectStore bobStore = f.client(f.assume("bob", List.of()));
        Mps3Client bob = causal(bobStore);
        StrictClient bobStrict = strict(bobStore);
        S3ObjectStore alice = f.client(f.assume("alice", List.of()))) {
      bob.put("users/bob/kept", "bob's");
      bobStrict.put("users/bob/kept", "bob's");
      CausalEntry latest = latestCausalEntry();
      ObjectNode resolved = (ObjectNode) JsonMergePatch.apply(latest.state(), latest.update());
      String bobsUrl = BUCKET + "/users/bob/kept";
      assertThat(resolved.path("files").has(bobsUrl)).isTrue();
      long nextSlot = nextStrictSlot();
      String slot = new StrictLayout(STRICT).logKey(nextSlot);
      Map<String, String> before = objects();

      // A strict slot that sets bob's key, created as the protocol says.
      assertRefused(
          alice, slot, strictEntry(nextSlot, "users/bob/kept"), true, "changes " + bobsUrl);
      // A slot of alice's own key, but without If-None-Match: * (it could overwrite a slot).
      assertRefused(
          alice, slot, strictEntry(nextSlot, "users/alice/mine"), false, "If-None-Match: *");
      // Not an entry at all.
      assertRefused(alice, slot, "{\"seq\": \"one\"}", true, "400 InvalidArgument");
      // A causal entry carrying the resolved state and a patch of alice's key and bob's.
      ObjectNode forged = JsonNodeFactory.instance.objectNode();
      ObjectNode patch = forged.putObject("files");
      patch.putObject(BUCKET + "/users/alice/x").put("version", "v");
      patch.putNull(bobsUrl);
      assertRefused(
          alice,
          new CausalLayout(CAUSAL).entryKey(System.currentTimeMillis(), "forger01", 0),
          new String(CausalEntry.of(resolved, forged).encode(), StandardCharsets.UTF_8),
          false,
          "changes " + bobsUrl);
      // A checkpoint by a caller the trusted rule does not allow.
      assertRefused(
          alice,
          new StrictLayout(STRICT).checkpointKey(nextSlot - 1),
          "{\"files\": {}}",
          false,
          "only a trusted caller");
      // A value over validation.maxValueBytes (64 KiB), on a key alice may write.
      assertRefused(alice, "users/alice/big", "x".repeat(65 * 1024), false, "400 EntityTooLarge");
      assertThat(objects()).isEqualTo(before);

      // The same checks let an honest raw entry through: alice's own key, the rest as resolved.
      ObjectNode update = JsonNodeFactory.instance.objectNode();
      update.putObject("files").putObject(BUCKET + "/users/alice/raw").put("version", "r");
      String honest = new CausalLayout(CAUSAL).entryKey(System.currentTimeMillis(), "honest01", 0);
      assertThat(
              alice
                  .put(
                      BUCKET,
                      honest,
                      CausalEntry.of(resolved, update).encode(),
                      PutOptions.unconditional())
                  .join())
          .isInstanceOf(PutOutcome.Written.class);
      byte[] marker = ("\"" + honest + "\"").getBytes(StandardCharsets.UTF_8); // PROTOCOL A3
      alice.put(BUCKET, CAUSAL, marker, PutOptions.unconditional()).join();
      bob.refresh();
      assertThat(bob.get("users/bob/kept").orElseThrow().asText()).isEqualTo("bob's");
      assertThat(bob.keys("users/alice/")).contains("users/alice/raw");
    }
    try (S3ObjectStore admin = f.client(f.assume("root", List.of("admin")))) {
      String checkpoint = new StrictLayout(STRICT).checkpointKey(1);
      assertThat(admin.put(BUCKET, checkpoint, new byte[] {'{', '}'}, PutOptions.ifAbsent()).join())
          .isInstanceOf(PutOutcome.Written.class); // the trusted rule allows checkpoints
    }
  }

  /**
   * A causal entry whose window claim (design 0024) is false: its state lacks bob's write of the
   * last seconds and it claims that replaying its window changes nothing, so readers trusting the
   * claim would lose bob's write while readers replaying the window (the JavaScript client) keep
   * it. Its own change is alice's key only, so the rules alone would let it through. The same entry
   * with the state that holds bob's write, and so a true claim, is let through.
   */
  @Test
  void aFalseWindowClaim_isRefused_andATrueOneLetThrough() throws Exception {
    try (S3ObjectStore bobStore = f.client(f.assume("bob", List.of()));
        Mps3Client bob = causal(bobStore);
        S3ObjectStore alice = f.client(f.assume("alice", List.of()))) {
      bob.put("users/bob/recent", "before");
      CausalEntry before = latestCausalEntry();
      ObjectNode stale = (ObjectNode) JsonMergePatch.apply(before.state(), before.update());
      stale.remove(WindowClaim.FIELD);
      bob.put("users/bob/recent", "after"); // an entry in the window of alice's below
      CausalEntry latest = latestCausalEntry();
      ObjectNode current = (ObjectNode) JsonMergePatch.apply(latest.state(), latest.update());
      current.remove(WindowClaim.FIELD);
      ObjectNode update = JsonNodeFactory.instance.objectNode();
      update.putObject("files").putObject(BUCKET + "/users/alice/claimed").put("version", "c");
      Map<String, String> before2 = objects();

      String forgedKey =
          new CausalLayout(CAUSAL).entryKey(System.currentTimeMillis(), "forger02", 0);
      stale.set(WindowClaim.FIELD, claim(forgedKey));
      assertRefused(
          alice,
          forgedKey,
          new String(CausalEntry.of(stale, update).encode(), StandardCharsets.UTF_8),
          false,
          "window claim is false");
      assertThat(objects()).isEqualTo(before2);

      String honestKey =
          new CausalLayout(CAUSAL).entryKey(System.currentTimeMillis(), "honest02", 0);
      current.set(WindowClaim.FIELD, claim(honestKey));
      assertThat(
              alice
                  .put(
                      BUCKET,
                      honestKey,
                      CausalEntry.of(current, update).encode(),
                      PutOptions.unconditional())
                  .join())
          .isInstanceOf(PutOutcome.Written.class);
    }
  }

  /**
   * The claim of entry {@code key} over the entries listed now in its window, computed here from
   * the format's words (design 0024), not the library's code: SHA-256 of {@code <key> <etag>\n} for
   * each entry less than 5 s older than it, newest first.
   */
  private static ObjectNode claim(String key) throws Exception {
    CausalLayout layout = new CausalLayout(CAUSAL);
    long time = ((Parsed.Valid<CausalLayout.EntryKey>) layout.parseEntryKey(key)).value().time();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    int entries = 0;
    for (ObjectMetadata o : f.direct.listAll(BUCKET, layout.entryPrefix(), null).join()) {
      if (layout.parseEntryKey(o.key()) instanceof Parsed.Valid<CausalLayout.EntryKey> e
          && o.key().compareTo(key) > 0
          && e.value().time() > time - 5000) {
        sha.update((o.key() + " " + o.etag() + "\n").getBytes(StandardCharsets.UTF_8));
        entries++;
      }
    }
    assertThat(entries).as("bob's entries in the window").isPositive();
    ObjectNode claim = JsonNodeFactory.instance.objectNode();
    claim.put("entry", key);
    claim.put("entries", entries);
    claim.put("sha256", HexFormat.of().formatHex(sha.digest()));
    return claim;
  }

  private static void assertRefused(
      S3ObjectStore caller, String key, String body, boolean ifAbsent, String why) {
    assertThatThrownBy(
            () ->
                caller
                    .put(
                        BUCKET,
                        key,
                        body.getBytes(StandardCharsets.UTF_8),
                        ifAbsent ? PutOptions.ifAbsent() : PutOptions.unconditional())
                    .join())
        .as(key)
        .hasMessageContaining(why);
  }

  private static String strictEntry(long seq, String key) {
    return "{\"seq\": "
        + seq
        + ", \"ts\": 1, \"writer\": \"forger\", \"op\": \"forged\", \"files\": {\""
        + BUCKET
        + "/"
        + key
        + "\": {\"value\": 666}}}";
  }

  private static CausalEntry latestCausalEntry() {
    String key =
        f.direct.list(BUCKET, ListRequest.prefix(CAUSAL + "@")).join().objects().stream()
            .map(ObjectMetadata::key)
            .filter(k -> CausalLayout.manifestOfEntry(k) != null)
            .findFirst() // newest first
            .orElseThrow();
    GetResult.Found found = (GetResult.Found) f.direct.get(BUCKET, key).join();
    return ((Parsed.Valid<CausalEntry>) CausalEntry.parse(key, found.object().body())).value();
  }

  private static long nextStrictSlot() {
    String prefix = new StrictLayout(STRICT).logPrefix();
    return f.direct.list(BUCKET, ListRequest.prefix(prefix)).join().objects().stream()
            .map(o -> StrictLayout.number(prefix, o.key()))
            .mapToLong(n -> n == null ? 0 : n)
            .max()
            .orElse(0)
        + 1;
  }

  /** Every object of the bucket with its ETag. */
  private static Map<String, String> objects() {
    Map<String, String> out = new TreeMap<>();
    f.direct
        .list(BUCKET, ListRequest.prefix(""))
        .join()
        .objects()
        .forEach(o -> out.put(o.key(), o.etag()));
    return out;
  }

  private static Mps3Client causal(S3ObjectStore store) {
    return Mps3Client.create(
        Mps3Config.builder().store(store).bucket(BUCKET).manifest(CAUSAL).build());
  }

  private static StrictClient strict(S3ObjectStore store) {
    return StrictClient.create(
        Mps3Config.builder().store(store).bucket(BUCKET).manifest(STRICT).strictProtocol().build());
  }
}
