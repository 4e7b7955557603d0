package io.mps3.testkit.causal;

import io.mps3.Mps3Config;
import io.mps3.spi.ObjectStore;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.ClientContract;
import io.mps3.testkit.Futures;
import io.mps3.testkit.S3MockServer;
import org.junit.jupiter.api.BeforeAll;

/** The client contract in versioned mode against S3Mock with bucket versioning on. */
class S3MockVersionedClientIT extends ClientContract {

  private static ObjectStore store;

  @BeforeAll
  static void start() {
    S3ObjectStore s3 = S3MockServer.shared().storeWithBucket("clients-versioned");
    Futures.await(s3.enableVersioning("clients-versioned"));
    store = s3;
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected String bucket() {
    return "clients-versioned";
  }

  @Override
  protected Mps3Config.Builder configure(Mps3Config.Builder builder) {
    return builder.versionedMode();
  }
}
