package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3Client;
import io.mps3.Protocol;
import io.mps3.StrictClient;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --to sqlite:FILE} and {@code import --from sqlite:FILE} on the local directory, run
 * in this JVM as a user runs the command: a round trip of every JSON type in two manifests with
 * each protocol, the file read with plain SQL, and the errors a user meets.
 */
class SqliteTransferTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private Run mps3(String... args) {
    Cli.Result result = new Cli(dir, Map.of()).run(args);
    return new Run(result.exit(), result.out(), result.err());
  }

  private static String[] with(Protocol protocol, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (protocol == Protocol.STRICT) {
      all.add("--strict");
    }
    return all.toArray(new String[0]);
  }

  @Test
  void exportThenImport_causal_everyJsonTypeRoundTrips() throws Exception {
    roundTrip(Protocol.CAUSAL);
  }

  @Test
  void exportThenImport_strict_everyJsonTypeRoundTripsWithItsVersions() throws Exception {
    roundTrip(Protocol.STRICT);
  }

  private void roundTrip(Protocol protocol) throws Exception {
    Path from = dir.resolve("from");
    Path file = dir.resolve("export ü.db");
    Map<String, Map<String, String>> expected;
    Map<String, Long> strictVersions = Map.of();
    try (ObjectStore store = ObjectStores.localDirectory(from);
        Mps3Client client = SqliteRoundTrip.client(store, "mps3", protocol)) {
      SqliteRoundTrip.write(client);
      expected = SqliteRoundTrip.read(client);
      if (client instanceof StrictClient strict) {
        strictVersions = SqliteRoundTrip.versions(strict, "manifest.json");
      }
    }
    assertThat(expected.get("manifest.json")) // numbers as put, not as doubles
        .containsEntry("huge", "1E+400")
        .containsEntry("precise", "3.14159265358979323846264338327950288")
        .containsEntry("money", "19.990");
    String name = protocol == Protocol.STRICT ? "strict" : "causal";

    Run export =
        mps3(
            with(
                protocol,
                "export",
                "--dir",
                from.toString(),
                "--to",
                "sqlite:" + file,
                "--also-manifest",
                SqliteRoundTrip.ODD_MANIFEST));

    assertThat(export).isEqualTo(new Run(0, "", ""));
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("from", "export ü.db"); // no temp
    Map<String, Map<String, Object>> versions = SqliteRoundTrip.checkFile(file, expected, name);
    if (protocol == Protocol.STRICT) {
      assertThat(versions.get("manifest.json")).isEqualTo(Map.copyOf(strictVersions));
    } else {
      assertThat(Objects.requireNonNull(versions.get("manifest.json")).values())
          .allSatisfy(v -> assertThat(v.toString()).hasSize(36)); // the content object's UUID
    }

    Path to = dir.resolve("to");
    Run imported =
        mps3(
            with(protocol, "import", "--dir", to.toString(), "--from", "sqlite:" + file, "--json"));

    int keys = expected.values().stream().mapToInt(Map::size).sum();
    assertThat(imported).isEqualTo(new Run(0, "{\"keys\":" + keys + "}\n", ""));
    try (ObjectStore store = ObjectStores.localDirectory(to);
        Mps3Client client = SqliteRoundTrip.client(store, "mps3", protocol)) {
      assertThat(SqliteRoundTrip.read(client)).isEqualTo(expected);
    }
  }

  @Test
  void export_existingFile_isRefusedUnlessForced() throws Exception {
    Path from = dir.resolve("from");
    assertThat(mps3("put", "k", "1", "--dir", from.toString()).exit()).isZero();
    Path file = dir.resolve("out.db");
    Files.writeString(file, "keep me");

    Run refused = mps3("export", "--dir", from.toString(), "--to", "sqlite:" + file);

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .isEqualTo("mps3 export: " + file + " exists; pass --force to replace it\n");
    assertThat(Files.readString(file)).isEqualTo("keep me");

    Run forced =
        mps3("export", "--dir", from.toString(), "--to", "sqlite:" + file, "--force", "--json");

    assertThat(forced.exit()).isZero();
    assertThat(forced.out())
        .isEqualTo(
            "{\"file\":\""
                + file
                + "\",\"tables\":[{\"manifest\":\"manifest.json\","
                + "\"table\":\"manifest.json\",\"keys\":1}]}\n");
    assertThat(dir.toFile().list()).containsExactlyInAnyOrder("from", "out.db");
  }

  @Test
  void import_badFiles_nameTheProblemAndWriteNothing() throws Exception {
    Path from = dir.resolve("from");
    Path good = dir.resolve("good.db");
    Path to = dir.resolve("to");
    assertThat(mps3("put", "a", "1", "--dir", from.toString()).exit()).isZero();
    assertThat(mps3("put", "b", "2", "--dir", from.toString()).exit()).isZero();
    assertThat(mps3("put", "c", "3", "--dir", from.toString()).exit()).isZero();
    assertThat(mps3("export", "--dir", from.toString(), "--to", "sqlite:" + good).exit()).isZero();

    // A value made invalid after two good ones: with batches of 1, nothing may be written.
    Path badJson =
        copy(good, "bad-json.db", "UPDATE \"manifest.json\" SET value = '{oops' WHERE key = 'c'");
    Path noColumn =
        copy(good, "no-column.db", "ALTER TABLE \"manifest.json\" RENAME COLUMN value TO v");
    Path noTable = copy(good, "no-table.db", "DROP TABLE \"manifest.json\"");
    Path notSqlite = Files.writeString(dir.resolve("text.db"), "{\"key\": \"a\", \"value\": 1}\n");
    Path noMeta = copy(good, "no-meta.db", "DROP TABLE mps3_export");

    assertThat(importing(badJson, to, "--batch", "1"))
        .isEqualTo(
            "mps3 import: invalid JSON in the value of \"c\" in table \"manifest.json\" at line 1,"
                + " column 2: Unexpected character ('o' (code 111)): was expecting double-quote to"
                + " start field name\n");
    assertThat(importing(noColumn, to))
        .isEqualTo(
            "mps3 import: the table \"manifest.json\" of " + noColumn + " has no column value\n");
    assertThat(importing(noTable, to))
        .isEqualTo(
            "mps3 import: "
                + noTable
                + " has no table \"manifest.json\" (of manifest \"manifest.json\")\n");
    assertThat(importing(notSqlite, to))
        .isEqualTo("mps3 import: " + notSqlite + " is not a SQLite database\n");
    assertThat(importing(noMeta, to))
        .isEqualTo(
            "mps3 import: "
                + noMeta
                + " has no table mps3_export: it was not written by mps3 export"
                + " --to sqlite:FILE\n");
    assertThat(importing(good, to, "--only", "other.json"))
        .isEqualTo(
            "mps3 import: "
                + good
                + " holds no manifest \"other.json\" (it holds: \"manifest.json\")\n");
    assertThat(Files.exists(to.resolve("mps3"))).as("nothing written").isFalse();
  }

  /** Runs an import expected to fail with exit code 2; returns its standard error. */
  private String importing(Path file, Path to, String... more) {
    List<String> args =
        new ArrayList<>(List.of("import", "--dir", to.toString(), "--from", "sqlite:" + file));
    args.addAll(List.of(more));
    Run run = mps3(args.toArray(new String[0]));
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    return run.err();
  }

  private Path copy(Path file, String name, String sql) throws Exception {
    Path copy = Files.copy(file, dir.resolve(name));
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy);
        Statement statement = db.createStatement()) {
      statement.execute(sql);
    }
    return copy;
  }
}
