package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.store.S3ObjectStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a client ends its pending calls clearly, and refuses new ones. */
class ClientCloseTest {

  @Test
  void close_failsWritesNotYetInTheBucket_andLaterCalls() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        S3ObjectStore store =
            S3ObjectStore.builder()
                .endpoint(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                .credentials("id", "secret")
                .build()) {
      Mps3AsyncClient client = Mps3AsyncClient.create(Mps3Config.builder().store(store).build());
      CompletableFuture<Void> put = client.put("k", 1);
      assertThat(await(client.get("k")).isPresent()).as("read-your-writes while pending").isTrue();
      client.close();
      assertThatThrownBy(() -> put.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED))
          .hasMessageContaining("closed before this write")
          .hasMessageContaining("may still land");
      assertThatThrownBy(() -> await(client.get("k")))
          .isInstanceOfSatisfying(
              Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
      assertThatThrownBy(() -> client.subscribe("k", change -> {}))
          .isInstanceOfSatisfying(
              Mps3Exception.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CLOSED));
      client.close(); // idempotent
    }
  }
}
