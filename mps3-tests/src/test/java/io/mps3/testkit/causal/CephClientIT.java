package io.mps3.testkit.causal;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.CephServer;
import io.mps3.testkit.ClientContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The client contract against Ceph radosgw (its If-Match refuses every marker write's condition).
 */
class CephClientIT extends ClientContract {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = CephServer.shared().storeWithBucket("clients");
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "clients";
  }
}
