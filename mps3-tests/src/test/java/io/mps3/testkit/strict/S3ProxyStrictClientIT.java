package io.mps3.testkit.strict;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import io.mps3.testkit.StrictClientContract;
import org.junit.jupiter.api.BeforeAll;

/** The strict client contract over HTTP against S3Proxy (signatures checked). */
class S3ProxyStrictClientIT extends StrictClientContract {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3ProxyServer.shared().storeWithBucket("strict-clients");
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
