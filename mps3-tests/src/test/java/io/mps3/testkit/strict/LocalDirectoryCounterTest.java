package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CounterProof} on a local directory shared by three OS processes. */
@Order(1)
class LocalDirectoryCounterTest {

  @TempDir Path dir;

  @Test
  void tenClientsInThreeProcesses_incrementOneCounterExactly() throws Exception {
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      double seconds =
          CounterProof.run(
              store, "counter", "counter.json", List.of("local", dir.toString()), Map.of());
      System.out.printf("counter proof on a local directory: %.1f s%n", seconds);
    }
  }
}
