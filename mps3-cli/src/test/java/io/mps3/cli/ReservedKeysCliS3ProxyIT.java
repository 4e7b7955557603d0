package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Issue #18 through the command against S3Proxy over HTTP. */
class ReservedKeysCliS3ProxyIT extends ReservedKeysScenario {

  private static final String BUCKET = "reserved-keys";
  private static S3ProxyServer server;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.shared();
    server.storeWithBucket(BUCKET).close();
  }

  @Override
  Cli.Result mps3(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--endpoint";
    all[args.length + 1] = server.endpoint().toString();
    all[args.length + 2] = "--bucket";
    all[args.length + 3] = BUCKET;
    return new Cli(
            dir,
            Map.of(
                "AWS_ACCESS_KEY_ID",
                S3ProxyServer.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                S3ProxyServer.SECRET_KEY))
        .run(all);
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
