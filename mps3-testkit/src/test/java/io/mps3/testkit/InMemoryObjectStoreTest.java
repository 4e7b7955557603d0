package io.mps3.testkit;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.time.Clock;
import org.junit.jupiter.api.Nested;

class InMemoryObjectStoreTest {

  @Nested
  class Unversioned extends ObjectStoreContract {
    private final ObjectStore store = ObjectStores.inMemory();

    @Override
    protected ObjectStore store() {
      return store;
    }

    @Override
    protected String bucket() {
      return "contract";
    }

    @Override
    protected StoreTraits traits() {
      return StoreTraits.complete();
    }
  }

  @Nested
  class Versioned extends ObjectStoreContract {
    private final ObjectStore store = ObjectStores.inMemoryVersioned(Clock.systemUTC());

    @Override
    protected ObjectStore store() {
      return store;
    }

    @Override
    protected String bucket() {
      return "contract";
    }

    @Override
    protected StoreTraits traits() {
      return StoreTraits.complete().withVersioning();
    }
  }

}
