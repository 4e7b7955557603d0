package io.mps3.cli;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 through the command, on manifests holding keys the JavaScript client wrote that this
 * client would not: {@code export} goes past the ones it cannot read and lists them (it stopped
 * with "unexpected error: java.util.concurrent.CompletionException", exit 3), and {@code doctor
 * --manifest} reports reserved keys, present or already removed. Subclassed per store (the command
 * runs as a process).
 */
abstract class ReservedKeysScenario {

  /** Runs {@code mps3 args...} against the store under test. */
  abstract Cli.Result mps3(String... args);

  /** A store client of the same bucket, for seeding it. */
  abstract ObjectStore openStore();

  abstract String bucket();

  /** An entry of {@code manifest} as the JavaScript client writes it: key, version, key, ... */
  private void entryByHand(String manifest, String... keysAndVersions) {
    StringBuilder files = new StringBuilder();
    for (int i = 0; i < keysAndVersions.length; i += 2) {
      files
          .append(i == 0 ? "" : ",")
          .append("\"" + bucket() + "/" + keysAndVersions[i] + "\":{\"version\":\"")
          .append(keysAndVersions[i + 1])
          .append("\",\"replication\":\"\"}");
    }
    String entry = new CausalLayout(manifest).entryKey(System.currentTimeMillis(), "js", 0);
    put(entry, "{\"files\":{},\"update\":{\"files\":{" + files + "}}}");
  }

  private void put(String key, String body) {
    try (ObjectStore store = openStore()) {
      await(
          store.put(
              bucket(), key, body.getBytes(StandardCharsets.UTF_8), PutOptions.unconditional()));
    }
  }

  private static void ok(Cli.Result result) {
    assertThat(result.exit()).as(result.err()).isZero();
  }

  @Test
  void export_goesPastUnreadableKeys_andListsThemAtTheEnd() {
    String m = "export.json";
    ok(mps3("put", "a", "1", "--manifest", m));
    String longKey = "l".repeat(1000); // its content name, l...l@<uuid>, is 1037 bytes
    String overLong = "o".repeat(1100); // over the 1024 bytes of any key
    entryByHand(m, longKey, UUID.randomUUID().toString(), overLong, UUID.randomUUID().toString());
    ok(mps3("put", "b", "2", "--manifest", m));

    Cli.Result export = mps3("export", "--manifest", m);
    assertThat(export.exit()).as(export.err()).isEqualTo(1);
    assertThat(export.out())
        .isEqualTo("{\"key\":\"a\",\"value\":1}\n{\"key\":\"b\",\"value\":2}\n");
    assertThat(export.err())
        .contains("mps3 export: 2 keys could not be read, left out:")
        .contains("key \"lll")
        .contains("1000 bytes, written by another client) cannot be read")
        .contains("\"ooo")
        .contains("1100 UTF-8 bytes")
        .doesNotContain("CompletionException");
  }

  @Test
  void doctor_reportsReservedKeys_presentAndRemoved_andRepairLeavesThem() {
    String m = "doctor.json";
    ok(mps3("put", "a", "1", "--manifest", m));
    String kept = UUID.randomUUID().toString();
    String removed = UUID.randomUUID().toString();
    // "doctor.json@x" keeps its content; that of "doctor.json" is gone, as after the cleanup.
    entryByHand(m, m + "@x", kept, m, removed);
    put(m + "@x@" + kept, "\"kept\"");

    Cli.Result doctor = mps3("doctor", "--manifest", m);
    assertThat(doctor.exit()).as(doctor.err()).isEqualTo(1);
    assertThat(doctor.out())
        .contains(
            "unreadable \""
                + m
                + "@x@"
                + kept
                + "\": key \""
                + m
                + "@x\" is reserved by manifest \""
                + m
                + "\"")
        .contains("copy its value to another key")
        .contains(
            "unreadable \""
                + m
                + "@"
                + removed
                + "\": content of key \""
                + m
                + "\" is missing (removed?)")
        .contains("JavaScript client's cleanup")
        .doesNotContain("\"kept\"");
    Cli.Result repair = mps3("repair", "--manifest", m, "--yes");
    assertThat(repair.out()).doesNotContain("move \"" + m + "@x@");
    assertThat(mps3("get", m + "@x", "--manifest", m).out()).isEqualTo("\"kept\"\n");
  }
}
