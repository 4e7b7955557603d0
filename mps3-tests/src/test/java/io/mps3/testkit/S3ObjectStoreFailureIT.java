package io.mps3.testkit;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.GetResult;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.ObjectStoreException.Kind;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.S3ObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the S3 store fails: wrong credentials, missing buckets, dead endpoints, lost answers. */
class S3ObjectStoreFailureIT {

  private static final String BUCKET = "failures";
  private static S3ProxyServer server;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.shared();
    server.storeWithBucket(BUCKET).close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void wrongSecret_failsWithAccessDenied_namingTheEndpoint_neverTheSecret() {
    String secret = "wrong-secret-" + UUID.randomUUID();
    try (S3ObjectStore store =
        S3ObjectStore.builder()
            .endpoint(server.endpoint())
            .credentials(S3ProxyServer.ACCESS_KEY, secret)
            .build()) {
      assertThatThrownBy(() -> await(store.get(BUCKET, "k")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
                assertThat(e.httpStatus()).isEqualTo(403);
                assertThat(e.isRetryable()).isFalse();
              })
          .hasMessageContaining(server.endpoint().toString())
          .hasMessageContaining("403")
          .hasMessageContaining("check the access key id, the secret key")
          .message()
          .doesNotContain(secret);
    }
  }

  @Test
  void missingBucket_failsWithNoSuchBucket() {
    try (S3ObjectStore store = server.storeBuilder().build()) {
      assertThatThrownBy(() -> await(store.get("no-such-bucket-here", "k")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_BUCKET))
          .hasMessageContaining("s3://no-such-bucket-here/k")
          .hasMessageContaining("NoSuchBucket");
      assertThatThrownBy(() -> await(store.list("no-such-bucket-here", ListRequest.prefix(""))))
          .isInstanceOfSatisfying(
              ObjectStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_BUCKET));
    }
  }

  @Test
  void closedPort_failsAsUnavailable_withinTheCallTimeout_namingTheEndpoint() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    try (S3ObjectStore store =
        S3ObjectStore.builder()
            .endpoint(endpoint)
            .credentials("id", "secret")
            .callTimeout(Duration.ofSeconds(2))
            .build()) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> await(store.put(BUCKET, "k", utf8("v"), PutOptions.unconditional())))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                assertThat(e.isRetryable()).isTrue();
              })
          .hasMessageContaining(endpoint.toString())
          .hasMessageContaining("cannot connect");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void silentServer_failsAsUnavailable_withinTheCallTimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
      try (S3ObjectStore store =
          S3ObjectStore.builder()
              .endpoint(endpoint)
              .credentials("id", "secret")
              .requestTimeout(Duration.ofMillis(300))
              .callTimeout(Duration.ofSeconds(1))
              .build()) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> await(store.get(BUCKET, "k")))
            .isInstanceOfSatisfying(
                ObjectStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
            .hasMessageContaining(endpoint.toString())
            // The JDK reports either, depending on when the time runs out.
            .hasMessageMatching(".*(no answer within (300 ms|1 s)|could not connect within 1 s).*");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      }
    }
  }

  @Test
  void close_endsCallsInFlight_failingReadsAndLeavingConditionalWritesUnknown() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      S3ObjectStore store =
          S3ObjectStore.builder()
              .endpoint(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
              .credentials("id", "secret")
              .build();
      var read = store.get(BUCKET, "k");
      var create = store.put(BUCKET, "k", utf8("v"), PutOptions.ifAbsent());
      store.close();
      assertThatThrownBy(() -> await(read))
          .isInstanceOfSatisfying(
              ObjectStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED));
      assertThat(await(create)).isInstanceOf(PutOutcome.OutcomeUnknown.class);
      assertThatThrownBy(() -> await(store.get(BUCKET, "k")))
          .isInstanceOfSatisfying(
              ObjectStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CLOSED))
          .hasMessageContaining("is closed");
    }
  }

  @Test
  void conditionalCreate_whoseAnswerIsLost_isSettledAsWritten() {
    try (LossyRelay relay = LossyRelay.start(server.endpoint());
        S3ObjectStore store = throughRelay(relay, Duration.ofSeconds(30))) {
      String key = "lost-create-" + UUID.randomUUID();
      relay.loseNextResponses(1);
      PutOutcome outcome = await(store.put(BUCKET, key, utf8("mine"), PutOptions.ifAbsent()));
      assertThat(relay.lostResponses()).isEqualTo(1);
      assertThat(outcome).isInstanceOf(PutOutcome.Written.class);
      assertThat(await(store.get(BUCKET, key)))
          .isInstanceOfSatisfying(
              GetResult.Found.class,
              found ->
                  assertThat(new String(found.object().body(), StandardCharsets.UTF_8))
                      .isEqualTo("mine"));
    }
  }

  @Test
  void conditionalReplace_whoseAnswerIsLost_isSettledAsWritten() {
    try (LossyRelay relay = LossyRelay.start(server.endpoint());
        S3ObjectStore direct = server.storeBuilder().build();
        S3ObjectStore store = throughRelay(relay, Duration.ofSeconds(30))) {
      String key = "lost-replace-" + UUID.randomUUID();
      PutOutcome.Written first =
          (PutOutcome.Written)
              await(direct.put(BUCKET, key, utf8("v1"), PutOptions.unconditional()));
      relay.loseNextResponses(1);
      // Lands; the retry then finds the ETag changed (412) and reads back its own body.
      PutOutcome outcome =
          await(store.put(BUCKET, key, utf8("v2"), PutOptions.ifMatch(first.etag())));
      assertThat(relay.lostResponses()).isEqualTo(1);
      assertThat(outcome).isInstanceOf(PutOutcome.Written.class);
    }
  }

  @Test
  void conditionalCreate_whoseEveryAnswerIsLost_isReportedUnknown_notFailed() {
    try (LossyRelay relay = LossyRelay.start(server.endpoint());
        S3ObjectStore direct = server.storeBuilder().build();
        // 3 s: with 1 s, a loaded machine's first attempt alone took the deadline (seen once).
        S3ObjectStore store = throughRelay(relay, Duration.ofSeconds(3))) {
      String key = "lost-always-" + UUID.randomUUID();
      // Every answer lost until the deadline, the read-back's too (it shares the deadline).
      relay.loseNextResponses(Integer.MAX_VALUE);
      PutOutcome outcome = await(store.put(BUCKET, key, utf8("x"), PutOptions.ifAbsent()));
      assertThat(outcome).isInstanceOf(PutOutcome.OutcomeUnknown.class);
      assertThat(((PutOutcome.OutcomeUnknown) outcome).cause().kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(relay.lostResponses()).as("retried until the deadline").isGreaterThan(1);
      // It did land: reporting a failure would have been a lie.
      assertThat(await(direct.get(BUCKET, key))).isInstanceOf(GetResult.Found.class);
    }
  }

  private static S3ObjectStore throughRelay(LossyRelay relay, Duration callTimeout) {
    return S3ObjectStore.builder()
        .endpoint(relay.endpoint())
        .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
        .callTimeout(callTimeout)
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  @Test
  void unconditionalPut_whoseAnswerIsLost_isRetried() {
    try (LossyRelay relay = LossyRelay.start(server.endpoint());
        S3ObjectStore store = throughRelay(relay, Duration.ofSeconds(30))) {
      relay.loseNextResponses(2);
      assertThat(await(store.put(BUCKET, "retried", utf8("v"), PutOptions.unconditional())))
          .isInstanceOf(PutOutcome.Written.class);
      assertThat(relay.lostResponses()).isEqualTo(2);
    }
  }

  @Test
  void putWhoseAnswerIsLost_pastItsResendLimit_isNotSentAgain_andFailsAsUnavailable() {
    try (LossyRelay relay = LossyRelay.start(server.endpoint());
        S3ObjectStore store = throughRelay(relay, Duration.ofSeconds(30))) {
      relay.loseNextResponses(1);
      PutOptions once = PutOptions.unconditional().withResendWithin(Duration.ZERO);
      assertThatThrownBy(() -> await(store.put(BUCKET, "sent-once", utf8("v1"), once)))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> assertThat(e.kind()).isEqualTo(ObjectStoreException.Kind.UNAVAILABLE))
          .hasMessageContaining("not sent again: it may have landed");
      assertThat(relay.lostResponses()).isEqualTo(1);
      // It did land, once: the relay forwards a request whole before it drops the answer.
      GetResult landed = await(store.get(BUCKET, "sent-once"));
      assertThat(landed).isInstanceOf(GetResult.Found.class);
    }
  }

  @Test
  void throttledPut_waitsWhatRetryAfterAsks_withinTheDeadline_thenLands() {
    try (LossyRelay relay = LossyRelay.start(server.endpoint());
        S3ObjectStore store = throughRelay(relay, Duration.ofSeconds(10))) {
      relay.throttleNextRequests(1, "1");
      long started = System.nanoTime();
      assertThat(await(store.put(BUCKET, "throttled", utf8("v"), PutOptions.unconditional())))
          .isInstanceOf(PutOutcome.Written.class);
      assertThat(relay.throttledRequests()).isEqualTo(1);
      // A lower bound, which cannot flake: the 1 to 5 ms backoff alone would have retried at once.
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void putDuringAnOutage_isRetriedUntilTheStoreIsBack_andLands() throws Exception {
    int port;
    try (LossyRelay first = LossyRelay.start(server.endpoint())) {
      port = first.endpoint().getPort();
    } // now the port refuses connections, as a store killed and not yet restarted does
    try (S3ObjectStore store =
        S3ObjectStore.builder()
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
            .callTimeout(Duration.ofSeconds(20))
            .build()) {
      String key = "outage-" + UUID.randomUUID();
      var put = store.put(BUCKET, key, utf8("v"), PutOptions.ifAbsent());
      Thread.sleep(1500); // the outage: not a wait for a condition, the scenario itself
      assertThat(put).as("still trying while the store is down").isNotDone();
      try (LossyRelay restarted = LossyRelay.start(server.endpoint(), port)) {
        assertThat(await(put)).isInstanceOf(PutOutcome.Written.class);
        assertThat(await(store.get(BUCKET, key))).isInstanceOf(GetResult.Found.class);
      }
    }
  }
}
