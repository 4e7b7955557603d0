package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Issue #18 through the command on the local directory (the default). */
class ReservedKeysCliTest extends ReservedKeysScenario {

  @TempDir Path dir;

  @Override
  Cli.Result mps3(String... args) {
    return new Cli(dir, Map.of()).run(args);
  }

  @Override
  ObjectStore openStore() {
    return ObjectStores.localDirectory(dir.resolve("mps3-data"));
  }

  @Override
  String bucket() {
    return "mps3";
  }
}
