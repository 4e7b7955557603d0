package io.mps3.testkit.causal;

import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.CephServer;
import io.mps3.testkit.S3ProxyServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeded fault campaign over HTTP: the same checks as {@link CausalFaultCampaignTest}, with
 * S3Proxy and Ceph radosgw behind the injected faults. Two seeds each keep it short in CI.
 */
class CausalFaultCampaignIT {

  @ParameterizedTest(name = "S3Proxy, seed {0}")
  @ValueSource(longs = {1, 2})
  void s3Proxy(long seed) {
    try (S3ObjectStore store = S3ProxyServer.shared().storeWithBucket("campaign")) {
      CausalFaultCampaignTest.run(store, "campaign", seed);
    }
  }

  @ParameterizedTest(name = "Ceph radosgw, seed {0}")
  @ValueSource(longs = {1, 2})
  void ceph(long seed) {
    try (S3ObjectStore store = CephServer.shared().storeWithBucket("campaign")) {
      CausalFaultCampaignTest.run(store, "campaign", seed);
    }
  }
}
