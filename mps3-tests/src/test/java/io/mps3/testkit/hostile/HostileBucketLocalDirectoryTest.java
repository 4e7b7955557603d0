package io.mps3.testkit.hostile;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.LocalDirectoryStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hostile-bucket property on the local directory store. */
class HostileBucketLocalDirectoryTest extends HostileBucketProperties {

  @RegisterExtension static final LocalDirectoryStore local = new LocalDirectoryStore();

  @Override
  ObjectStore store() {
    return local.store();
  }

  @Override
  String bucket() {
    return "hostile";
  }

  @Override
  int defaultTries() {
    return 120;
  }
}
