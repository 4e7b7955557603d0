package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.LocalDirectoryStore;
import io.mps3.testkit.StrictClientContract;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalDirectoryStrictClientTest extends StrictClientContract {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  protected ObjectStore store() {
    return local.store();
  }

  @Override
  protected String bucket() {
    return "strict-clients";
  }
}
