package io.mps3.testkit.issues;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Issue #16 on the local directory store. */
class Issue16LocalDirectoryTest extends Issue16Cases {

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
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "issue16";
  }
}
