package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.Mps3Client;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --to sqlite:FILE} and {@code import --from sqlite:FILE} against a real S3 server:
 * the causal protocol, whose versions and times come from the content objects' metadata (HEAD), in
 * whole seconds on S3.
 */
class SqliteS3ProxyIT {

  @TempDir Path dir;

  @Test
  void exportThenImport_overS3_everyJsonTypeRoundTrips() throws Exception {
    S3ProxyServer server = S3ProxyServer.shared();
    String from = "sqlite-from-" + UUID.randomUUID().toString().substring(0, 8);
    String to = "sqlite-to-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Map<String, String>> expected;
    try (ObjectStore store = server.storeWithBucket(from);
        Mps3Client client = SqliteRoundTrip.client(store, from, Protocol.CAUSAL)) {
      SqliteRoundTrip.write(client);
      expected = SqliteRoundTrip.read(client);
    }
    Path file = dir.resolve("s3.db");

    Cli.Result export =
        Cli.onS3Proxy(
            dir,
            server,
            from,
            "export",
            "--to",
            "sqlite:" + file,
            "--also-manifest",
            SqliteRoundTrip.ODD_MANIFEST);

    assertThat(export).isEqualTo(new Cli.Result(0, "", ""));
    SqliteRoundTrip.checkFile(file, expected, "causal");

    Cli.Result imported =
        Cli.onS3Proxy(
            dir, server, to, "import", "--from", "sqlite:" + file, "--create-bucket", "--json");

    int keys = expected.values().stream().mapToInt(Map::size).sum();
    assertThat(imported).isEqualTo(new Cli.Result(0, "{\"keys\":" + keys + "}\n", ""));
    try (ObjectStore store = server.storeWithBucket(to);
        Mps3Client client = SqliteRoundTrip.client(store, to, Protocol.CAUSAL)) {
      assertThat(SqliteRoundTrip.read(client)).isEqualTo(expected);
    }
  }
}
