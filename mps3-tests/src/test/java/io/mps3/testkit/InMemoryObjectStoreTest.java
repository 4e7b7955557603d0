package io.mps3.testkit;

import io.mps3.store.ObjectStores;
import java.time.Clock;
import org.junit.jupiter.api.Nested;

class InMemoryObjectStoreTest {

  @Nested
  class Unversioned extends ObjectStoreContract {
    private final ContractSubject subject =
        new ContractSubject(ObjectStores.inMemory(), "contract", StoreTraits.complete());

    @Override
    protected ContractSubject subject() {
      return subject;
    }
  }

  @Nested
  class Versioned extends ObjectStoreContract {
    private final ContractSubject subject =
        new ContractSubject(
            ObjectStores.inMemoryVersioned(Clock.systemUTC()),
            "contract",
            StoreTraits.complete().withVersioning());

    @Override
    protected ContractSubject subject() {
      return subject;
    }
  }
}
