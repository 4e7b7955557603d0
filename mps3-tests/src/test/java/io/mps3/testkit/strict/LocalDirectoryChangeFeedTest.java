package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.LocalDirectoryStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The change feed on the local directory store. */
class LocalDirectoryChangeFeedTest extends ChangeFeedContract {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  protected ObjectStore store() {
    return local.store();
  }

  @Override
  protected String bucket() {
    return "change-feed";
  }
}
