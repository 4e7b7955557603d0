package io.mps3.testkit.issues;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.LocalDirectoryStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue #16 on the local directory store. */
class Issue16LocalDirectoryTest extends Issue16Cases {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  protected ObjectStore store() {
    return local.store();
  }

  @Override
  protected String bucket() {
    return "issue16";
  }
}
