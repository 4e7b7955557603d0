package io.mps3.testkit.issues;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.LocalDirectoryStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue #18 on the local directory store. */
class Issue18LocalDirectoryTest extends Issue18Cases {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  protected ObjectStore store() {
    return local.store();
  }

  @Override
  protected String bucket() {
    return "issue18";
  }
}
