package io.mps3.testkit.hostile;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The hostile-bucket property on the local directory store. */
class HostileBucketLocalDirectoryTest extends HostileBucketProperties {

  @TempDir static Path root;
  private static ObjectStore store;

  @BeforeAll
  static void open() {
    store = ObjectStores.localDirectory(root);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  String bucket() {
    return "hostile";
  }

  @Override
  int defaultTries() {
    return 120;
  }
}
