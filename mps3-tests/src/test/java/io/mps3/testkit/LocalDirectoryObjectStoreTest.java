package io.mps3.testkit;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryObjectStoreTest extends ObjectStoreContract {

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
  protected ContractSubject subject() {
    return new ContractSubject(store, "contract", StoreTraits.complete());
  }
}
