package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;

/** The change feed over HTTP against S3Proxy (signatures checked). */
class S3ProxyChangeFeedIT extends ChangeFeedContract {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3ProxyServer.shared().storeWithBucket("change-feed");
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "change-feed";
  }
}
