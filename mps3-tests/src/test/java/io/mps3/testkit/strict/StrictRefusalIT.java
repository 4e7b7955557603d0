package io.mps3.testkit.strict;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.CephServer;
import io.mps3.testkit.S3MockServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The strict protocol refuses, with a message that says why and what to do, the real servers here
 * whose conditional creates let several racers win: S3Mock, and Ceph in a versioned bucket.
 */
class StrictRefusalIT {

  @Test
  void s3Mock_isRefused_becauseSeveralRacersWin() {
    S3ObjectStore store = S3MockServer.shared().storeWithBucket("strict-refused");
    assertRefused(store, "strict-refused");
  }

  @Test
  void cephVersionedBucket_isRefused_becauseItIgnoresIfNoneMatch() {
    S3ObjectStore store = CephServer.shared().storeWithBucket("strict-refused-versioned");
    await(store.enableVersioning("strict-refused-versioned"));
    assertRefused(store, "strict-refused-versioned");
  }

  private static void assertRefused(ObjectStore store, String bucket) {
    try (Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder().store(store).bucket(bucket).strictProtocol().build())) {
      assertThatThrownBy(() -> await(client.put("k", 1)))
          .isInstanceOfSatisfying(
              Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
          .hasMessageContaining("racing If-None-Match: * creates of one key won")
          .hasMessageContaining("use the causal protocol");
      assertThatThrownBy(() -> await(client.get("k")))
          .isInstanceOf(Mps3Exception.class)
          .hasMessageContaining("atomic conditional creates");
    }
    // Nothing of the log was written, and the bucket records the refusal, not a pass: later
    // clients adopt it (StrictFirstUseTest) instead of racing again.
    assertThat(await(store.listAll(bucket, "manifest.json/", null))).isEmpty();
    GetResult record = await(store.get(bucket, ".mps3/strict-check.json"));
    assertThat(record).isInstanceOf(GetResult.Found.class);
    assertThat(new String(((GetResult.Found) record).object().body(), StandardCharsets.UTF_8))
        .contains("\"atomicConditionalCreates\":false")
        .contains("racing If-None-Match: * creates of one key won");
  }
}
