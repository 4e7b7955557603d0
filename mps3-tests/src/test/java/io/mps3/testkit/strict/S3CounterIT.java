package io.mps3.testkit.strict;

import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.CephServer;
import io.mps3.testkit.S3ProxyServer;
import io.mps3.testkit.S3Server;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** {@link CounterProof} over HTTP: S3Proxy (signatures checked) and Ceph radosgw. */
// The longest IT: first, and its two proofs at once (different servers, buckets and JVM state).
@Order(1)
@Execution(ExecutionMode.CONCURRENT)
class S3CounterIT {

  @Test
  void onS3Proxy_tenClientsInThreeProcesses_incrementOneCounterExactly() throws Exception {
    prove(S3ProxyServer.shared(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
  }

  @Test
  void onCeph_tenClientsInThreeProcesses_incrementOneCounterExactly() throws Exception {
    prove(CephServer.shared(), CephServer.ACCESS_KEY, CephServer.SECRET_KEY);
  }

  private static void prove(S3Server server, String accessKey, String secretKey) throws Exception {
    try (S3ObjectStore store = server.storeWithBucket("counter")) {
      Map<String, String> env =
          Map.of(
              "AWS_ENDPOINT_URL", server.endpoint().toString(),
              "AWS_ACCESS_KEY_ID", accessKey,
              "AWS_SECRET_ACCESS_KEY", secretKey);
      double seconds = CounterProof.run(store, "counter", "counter.json", List.of("s3", "-"), env);
      System.out.printf("counter proof on %s: %.1f s%n", server.name(), seconds);
    }
  }
}
