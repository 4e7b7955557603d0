package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.CephServer;
import io.mps3.testkit.StrictClientContract;
import org.junit.jupiter.api.BeforeAll;

/** The strict client contract against Ceph radosgw (an unversioned bucket: atomic creates). */
class CephStrictClientIT extends StrictClientContract {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = CephServer.shared().storeWithBucket("strict-clients");
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "strict-clients";
  }
}
