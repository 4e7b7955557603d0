package io.mps3.testkit;

import io.mps3.store.CorsRules;
import io.mps3.store.S3ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;

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

  @Nested
  class Unversioned extends ObjectStoreContract {
    @Override
    protected ContractSubject subject() {
      return new ContractSubject(store, "plain", s3MockTraits());
    }
  }

  @Nested
  class Versioned extends ObjectStoreContract {
    // S3Mock 5.2 bug: ListObjectsV2 still lists a key whose latest version is a delete marker.
    @Override
    protected ContractSubject subject() {
      return new ContractSubject(
          store, "versioned", s3MockTraits().withVersioning().withDeletedKeysListed());
    }

    /**
     * Not a test here: paging is the same ListObjectsV2 call with or without versioning, and this
     * server's unversioned bucket pages through 1,003 keys already (their PUTs take 10 to 26 s of
     * this server's time in the suite).
     */
    @Override
    void listAll_pagesThroughMoreThanAThousandKeys() {}
  }
}
