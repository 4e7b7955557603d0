package io.mps3.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;

class LocalDirectoryObjectStoreTest extends ObjectStoreContract {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  protected ContractSubject subject() {
    return new ContractSubject(local.store(), "contract", StoreTraits.complete());
  }
}
