package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.StrictClientContract;

class InMemoryStrictClientTest extends StrictClientContract {

  private static final ObjectStore STORE = ObjectStores.inMemory();

  @Override
  protected ObjectStore store() {
    return STORE;
  }

  @Override
  protected String bucket() {
    return "clients";
  }
}
