package io.mps3.testkit.issues;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;

/** Issue #18 over HTTP against S3Proxy. */
class Issue18S3ProxyIT extends Issue18Cases {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3ProxyServer.shared().storeWithBucket("issue18");
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "issue18";
  }
}
