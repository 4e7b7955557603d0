package io.mps3.testkit;

import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.StoreTraits.Quirk;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;

/**
 * The store contract against Ceph radosgw, a production S3 server, with and without versioning.
 * Where Ceph cannot be installed (not root, no package), this fails with the reason.
 */
// Early, one of the longest ITs: Ceph is started before the ITs, by the unit-test JVM.
@Order(3)
class CephObjectStoreIT {

  private static S3ObjectStore store;

  @BeforeAll
  static void start() {
    // Ceph refuses a 1024-byte key with a 500, which is retried until the call's deadline (issue
    // #17): 5 s instead of the default 30 s keeps that case short; loopback calls take ms.
    // Buckets with the default deadline: at load 24 to 31 a bucket create took over 5 s.
    try (S3ObjectStore setup = CephServer.shared().storeBuilder().build()) {
      Futures.await(setup.createBucket("plain"));
      Futures.await(setup.createBucket("versioned"));
      Futures.await(setup.enableVersioning("versioned"));
    }
    store = CephServer.shared().storeBuilder().callTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  /** What this Ceph (16.2, one node, memstore) does. */
  static StoreTraits cephTraits() {
    return StoreTraits.complete()
        .withRacyReplace()
        .withQuirks(Quirk.REPLACE_ALWAYS_REFUSED, Quirk.LONGEST_KEY_REFUSED);
  }

  @Nested
  class Unversioned extends ObjectStoreContract {
    @Override
    protected ContractSubject subject() {
      return new ContractSubject(store, "plain", cephTraits());
    }
  }

  // In a versioned bucket Ceph ignores If-None-Match: * (every racer wins): no strict protocol.
  @Nested
  class Versioned extends ObjectStoreContract {
    @Override
    protected ContractSubject subject() {
      return new ContractSubject(
          store,
          "versioned",
          cephTraits().withVersioning().withRacyCreate().withQuirks(Quirk.CREATE_IGNORED));
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
