package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only command with {@code --journal DIR} sends the writes the journal held before it exits
 * (it used to read them, then close the client while they were being sent, leaving them for the
 * next writing command).
 */
class JournalReplayCliTest {

  @TempDir Path dir;

  @Test
  void get_withAJournalHoldingAWrite_sendsItBeforeExiting() throws Exception {
    Path data = dir.resolve("data");
    Path journal = dir.resolve("journal");
    // What a put --journal left when the store did not take it in time (format: design 0003).
    // Written here, not by a client on an unreachable store: that client's warnings would reach
    // the standard error of whichever command runs in this JVM meanwhile.
    Files.createDirectories(journal);
    Files.writeString(
        journal.resolve("w-00000000000000000001.json"),
        "{\"format\": 1, \"op\": \""
            + UUID.randomUUID()
            + "\", \"seq\": 1,"
            + " \"manifests\": [\"manifest.json\"],"
            + " \"writes\": [{\"key\": \"notes/1\", \"value\": \"offline\"}]}");
    assertThat(pendingWrites(journal)).hasSize(1);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            List.of("get", "notes/1", "--dir", data.toString(), "--journal", journal.toString()),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Cli.context(dir, Map.of()));

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\"offline\"\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(pendingWrites(journal)).as("writes left in the journal").isEmpty();
    try (ObjectStore local = ObjectStores.localDirectory(data);
        Mps3Client client =
            Mps3Client.create(Mps3Config.builder().store(local).bucket("mps3").build())) {
      assertThat(client.get("notes/1")).map(Json::line).hasValue("\"offline\"");
    }
  }

  /** The journal's write files ({@code w-<seq>.json}, design 0003). */
  private static List<Path> pendingWrites(Path journal) throws Exception {
    try (Stream<Path> files = Files.list(journal)) {
      return files.filter(f -> f.getFileName().toString().startsWith("w-")).toList();
    }
  }
}
