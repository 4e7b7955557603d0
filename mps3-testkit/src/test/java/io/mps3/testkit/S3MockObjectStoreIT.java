package io.mps3.testkit;

import io.mps3.store.CorsRules;
import io.mps3.store.S3ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The contract against Adobe S3Mock (no signature checks) over HTTP, with and without versioning.
 */
// Early: S3Mock takes 6-20 s to start, waited out while other classes run.
@Order(3)
class S3MockObjectStoreIT {

  private static S3ObjectStore store;

  @BeforeAll
  static void start() {
    store = S3MockServer.shared().storeBuilder().build();
    Futures.await(store.createBucket("plain"));
    Futures.await(store.createBucket("versioned"));
    Futures.await(store.enableVersioning("versioned"));
  }

  @org.junit.jupiter.api.Test
  void corsRules_ofABucketWithoutRules_doNotServeBrowsers() {
    org.assertj.core.api.Assertions.assertThat(
            Futures.await(store.corsRules("plain")).map(CorsRules::servesBrowserClients))
        .hasValue(false);
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  static StoreTraits s3MockTraits() {
    return StoreTraits.complete().withRacyCreate().withRacyReplace().withUtf16ListOrder();
  }

  // Its bucket is its own: it runs beside the other bucket's class, its tests one at a time
  // (a class with a resource lock runs its tests on one thread).
  @Nested
  @Execution(ExecutionMode.CONCURRENT)
  @ResourceLock("s3mock-contract-unversioned")
  class Unversioned extends ObjectStoreContract {
    @Override
    protected ContractSubject subject() {
      return new ContractSubject(store, "plain", s3MockTraits());
    }
  }

  // Its bucket is its own: it runs beside the other bucket's class, its tests one at a time
  // (a class with a resource lock runs its tests on one thread).
  @Nested
  @Execution(ExecutionMode.CONCURRENT)
  @ResourceLock("s3mock-contract-versioned")
  class Versioned extends ObjectStoreContract {
    // S3Mock 5.2 bug: ListObjectsV2 still lists a key whose latest version is a delete marker.
    @Override
    protected ContractSubject subject() {
      return new ContractSubject(
          store, "versioned", s3MockTraits().withVersioning().withDeletedKeysListed());
    }
  }
}
