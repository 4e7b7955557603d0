package io.mps3.testkit.hostile;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;

/** The hostile-bucket property over HTTP against S3Proxy: fewer tries, each costs more. */
class HostileBucketS3ProxyIT extends HostileBucketProperties {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3ProxyServer.shared().storeWithBucket("hostile");
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  String bucket() {
    return "hostile";
  }

  @Override
  int defaultTries() {
    return 20;
  }
}
