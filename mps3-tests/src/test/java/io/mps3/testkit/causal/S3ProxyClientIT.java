package io.mps3.testkit.causal;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.ClientContract;
import io.mps3.testkit.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;

/** The client contract over HTTP against S3Proxy (signatures checked, LastModified in seconds). */
class S3ProxyClientIT extends ClientContract {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3ProxyServer.shared().storeWithBucket("clients");
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
