package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@code mps3 doctor --manifest} and {@code mps3 repair} against S3Proxy over HTTP. */
class CliRepairS3ProxyIT extends RepairScenario {

  private static final String BUCKET = "repair";
  private static S3ProxyServer server;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.shared();
    server.storeWithBucket(BUCKET).close();
  }

  @Override
  Cli.Result mps3(String... args) {
    return Cli.onS3Proxy(dir, server, BUCKET, args);
  }

  @Override
  ObjectStore openStore() {
    return server.storeBuilder().build();
  }

  @Override
  String bucket() {
    return BUCKET;
  }
}
