package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The change feed on the local directory store. */
class LocalDirectoryChangeFeedTest extends ChangeFeedContract {

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
    return "change-feed";
  }
}
