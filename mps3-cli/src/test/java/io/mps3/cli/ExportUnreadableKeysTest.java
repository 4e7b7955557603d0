package io.mps3.cli;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18 item 3: {@code mps3 export} of a manifest holding keys another client wrote that this
 * one cannot read (too long for a content object name, or for a key) goes past them, lists them on
 * standard error after the others, and exits with 1. Before, it stopped at the first one with
 * "unexpected error: java.util.concurrent.CompletionException" (exit 3).
 */
class ExportUnreadableKeysTest {

  @TempDir Path dir;

  @Test
  void export_goesPastUnreadableKeys_andListsThemAtTheEnd() {
    Cli cli = new Cli(dir, Map.of());
    assertThat(cli.run("put", "a", "1").exit()).isZero();
    String longKey = "l".repeat(1000); // its content name, l...l@<uuid>, is 1037 bytes
    String overLong = "o".repeat(1100); // over the 1024 bytes of any key
    try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("mps3-data"))) {
      // An entry as the JavaScript client writes it, mapping both keys to versions.
      String files =
          "\"mps3/"
              + longKey
              + "\":{\"version\":\""
              + UUID.randomUUID()
              + "\",\"replication\":\"\"},\"mps3/"
              + overLong
              + "\":{\"version\":\""
              + UUID.randomUUID()
              + "\",\"replication\":\"\"}";
      String body = "{\"files\":{},\"update\":{\"files\":{" + files + "}}}";
      String entry =
          new CausalLayout("manifest.json").entryKey(System.currentTimeMillis(), "js", 0);
      await(
          store.put(
              "mps3", entry, body.getBytes(StandardCharsets.UTF_8), PutOptions.unconditional()));
    }
    assertThat(cli.run("put", "b", "2").exit()).isZero();

    Cli.Result export = cli.run("export");
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
}
