package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 item 3, end to end: {@code mps3 doctor --manifest} lists what no client can read,
 * {@code mps3 repair} shows its plan and changes nothing, {@code repair --yes} moves exactly the
 * garbage to the quarantine, and the manifests read on. Subclassed per store (the command runs as a
 * process).
 */
abstract class RepairScenario {

  static final String GARBAGE_ENTRY = "manifest.json@2bmrrbt9z_zzzzzzzzzz_vv";
  // Another name for the strict manifest: S3Proxy's filesystem store cannot hold a key
  // "manifest.json" (the causal change marker) and keys under "manifest.json/" at once.
  static final String GARBAGE_SLOT = "strict.json/log/00000000000000000003";
  static final String USER_OBJECT = "manifest.json@x"; // a user's key (issue #18), no entry

  /** A checkpoint segment (design 0016) whose body does not hash to its name: torn or altered. */
  static final String TORN_SEGMENT = "strict.json/segment/" + "0".repeat(64);

  /** A valid entry written by a clock 30 years behind: skewed, so every reader ignores it. */
  static final String SKEWED_ENTRY =
      new CausalLayout("manifest.json").entryKey(1_000_000_000_000L, "oldclock", 0);

  /** Runs {@code mps3 args...} against the store under test. */
  abstract Cli.Result mps3(String... args);

  /** A store client of the same bucket, for seeding and inspecting it. */
  abstract ObjectStore openStore();

  abstract String bucket();

  @Test
  void doctorListsGarbage_repairDryRunChangesNothing_repairYesMovesOnlyGarbage() {
    ok(mps3("put", "a", "1"));
    ok(mps3("put", "b", "{\"x\": 2}"));
    ok(mps3("put", "n", "1", "--manifest", "strict.json", "--protocol", "strict"));
    ok(mps3("put", "n", "2", "--manifest", "strict.json", "--protocol", "strict"));
    put(GARBAGE_ENTRY, "{\"files\": {}}");
    put(GARBAGE_SLOT, "not an entry {");
    put(TORN_SEGMENT, "{\"files\": {}}");
    put(USER_OBJECT, "a user's bytes");
    put(SKEWED_ENTRY, "{\"files\": {}}");
    ok(
        mps3(
            "put",
            "n",
            "3",
            "--manifest",
            "strict.json",
            "--protocol",
            "strict")); // slot 4: the garbage slot counts as empty

    Cli.Result causal = mps3("doctor", "--manifest", "manifest.json");
    assertThat(causal.exit()).as(causal.err()).isEqualTo(1);
    assertThat(causal.out())
        .contains("unreadable \"" + GARBAGE_ENTRY + "\": time digit 'z' is not base 32 (0-9a-v)")
        .contains("1 unreadable")
        .doesNotContain(USER_OBJECT + "\"")
        .doesNotContain(SKEWED_ENTRY);
    Cli.Result strict = mps3("doctor", "--manifest", "strict.json", "--protocol", "strict");
    assertThat(strict.exit()).as(strict.err()).isEqualTo(1);
    assertThat(strict.out())
        .contains("unreadable \"" + GARBAGE_SLOT + "\": not JSON")
        .contains("unreadable \"" + TORN_SEGMENT + "\": its body does not hash to its name")
        .contains("2 unreadable")
        .doesNotContain("not an entry {");

    Map<String, byte[]> before = snapshot();
    Cli.Result plan = mps3("repair", "--manifest", "manifest.json");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(1);
    assertThat(plan.out())
        .contains("move \"" + GARBAGE_ENTRY + "\" -> \".mps3/quarantine/")
        .contains("dry run: nothing changed");
    Cli.Result strictPlan = mps3("repair", "--manifest", "strict.json", "--protocol", "strict");
    assertThat(strictPlan.exit()).as(strictPlan.err()).isEqualTo(1);
    assertThat(strictPlan.out()).contains("then fill its slot with an empty entry");
    assertSameBucket(before, snapshot());

    ok(mps3("repair", "--manifest", "manifest.json", "--yes"));
    ok(mps3("repair", "--manifest", "strict.json", "--protocol", "strict", "--yes"));

    Map<String, byte[]> after = snapshot();
    assertThat(after).doesNotContainKey(GARBAGE_ENTRY).doesNotContainKey(TORN_SEGMENT);
    assertThat(after.get(USER_OBJECT)).isEqualTo(before.get(USER_OBJECT));
    assertThat(after.get(SKEWED_ENTRY)).isEqualTo(before.get(SKEWED_ENTRY));
    List<String> quarantined =
        after.keySet().stream().filter(k -> k.startsWith(".mps3/quarantine/")).toList();
    assertThat(quarantined).hasSize(3);
    for (String key : quarantined) {
      String original = key.substring(key.indexOf('/', ".mps3/quarantine/".length()) + 1);
      assertThat(original).isIn(GARBAGE_ENTRY, GARBAGE_SLOT, TORN_SEGMENT);
      assertThat(after.get(key)).as(key).isEqualTo(before.get(original));
    }
    // Every other object is as it was, but the slot, refilled with an entry that changes nothing.
    for (String key : before.keySet()) {
      if (!key.equals(GARBAGE_ENTRY) && !key.equals(GARBAGE_SLOT) && !key.equals(TORN_SEGMENT)) {
        assertThat(after.get(key)).as(key).isEqualTo(before.get(key));
      }
    }
    assertThat(new String(after.get(GARBAGE_SLOT), StandardCharsets.UTF_8))
        .contains("\"seq\":3", "\"files\":{}");

    assertThat(mps3("get", "a").out()).isEqualTo("1\n");
    assertThat(mps3("get", "b").out()).isEqualTo("{\"x\":2}\n");
    assertThat(mps3("get", "n", "--manifest", "strict.json", "--protocol", "strict").out())
        .isEqualTo("3\n");
    ok(mps3("put", "n", "4", "--manifest", "strict.json", "--protocol", "strict"));
    assertThat(mps3("get", "n", "--manifest", "strict.json", "--protocol", "strict").out())
        .isEqualTo("4\n");
    Cli.Result again = mps3("doctor", "--manifest", "manifest.json");
    assertThat(again.exit()).as(again.out()).isZero();
    assertThat(again.out()).contains("0 unreadable");
    Cli.Result strictAgain = mps3("doctor", "--manifest", "strict.json", "--protocol", "strict");
    assertThat(strictAgain.exit()).as(strictAgain.out()).isZero();
    Cli.Result nothing = mps3("repair", "--manifest", "manifest.json", "--yes");
    assertThat(nothing.exit()).isZero();
    assertThat(nothing.out()).contains("nothing to move");
  }

  private static void ok(Cli.Result result) {
    assertThat(result.exit()).as(result.out() + result.err()).isZero();
  }

  private void put(String key, String body) {
    try (ObjectStore store = openStore()) {
      store
          .put(
              bucket(),
              key,
              body.getBytes(StandardCharsets.UTF_8),
              PutOptions.unconditional().withContentType(PutOptions.JSON))
          .join();
    }
  }

  /** Every object of the bucket and its bytes. */
  private Map<String, byte[]> snapshot() {
    Map<String, byte[]> all = new TreeMap<>();
    try (ObjectStore store = openStore()) {
      for (ObjectMetadata m : store.listAll(bucket(), "", null).join()) {
        GetResult got = store.get(bucket(), m.key()).join();
        if (got instanceof GetResult.Found found) {
          all.put(m.key(), found.object().body());
        }
      }
    }
    return all;
  }

  private static void assertSameBucket(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String key : before.keySet()) {
      assertThat(Arrays.equals(before.get(key), after.get(key))).as(key).isTrue();
    }
  }
}
