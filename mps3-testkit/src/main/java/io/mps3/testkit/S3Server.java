package io.mps3.testkit;

import io.mps3.store.S3ObjectStore;
import java.net.URI;

/** A real S3 server started for tests on loopback. */
public interface S3Server extends AutoCloseable {

  /** Its base URL. */
  URI endpoint();

  /** A builder of a client store with the server's endpoint and credentials set. */
  S3ObjectStore.Builder storeBuilder();

  /** A name for reports: "S3Proxy (transient)", "S3Mock". */
  String name();

  /**
   * A client store for a new bucket created on the server.
   *
   * @return the store; the bucket exists when this returns
   */
  default S3ObjectStore storeWithBucket(String bucket) {
    S3ObjectStore store = storeBuilder().build();
    store.createBucket(bucket).join();
    return store;
  }

  /** Stops the server. */
  @Override
  void close();
}
