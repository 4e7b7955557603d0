package io.mps3.testkit.issues;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;

/** Issue #16 over HTTP against S3Proxy, the store of the report. */
class Issue16S3ProxyIT extends Issue16Cases {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3ProxyServer.shared().storeWithBucket("issue16");
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "issue16";
  }
}
