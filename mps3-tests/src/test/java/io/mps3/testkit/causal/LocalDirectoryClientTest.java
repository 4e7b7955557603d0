package io.mps3.testkit.causal;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.ClientContract;
import io.mps3.testkit.LocalDirectoryStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalDirectoryClientTest extends ClientContract {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  protected ObjectStore store() {
    return local.store();
  }

  @Override
  protected String bucket() {
    return "clients";
  }
}
