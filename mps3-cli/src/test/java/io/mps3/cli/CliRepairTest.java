package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** {@code mps3 doctor --manifest} and {@code mps3 repair} on the local directory (the default). */
class CliRepairTest extends RepairScenario {

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
