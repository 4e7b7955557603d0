package io.mps3.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

/** Issue #17: how long a retry waits when the store says how long in {@code Retry-After}. */
class S3RetryTest {

  private static final S3Settings SETTINGS =
      new S3Settings(
          URI.create("http://127.0.0.1:9000"),
          "us-east-1",
          new IdentityProvider<AwsCredentialsIdentity>() {
            @Override
            public Class<AwsCredentialsIdentity> identityType() {
              return AwsCredentialsIdentity.class;
            }

            @Override
            public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(
                ResolveIdentityRequest request) {
              return CompletableFuture.completedFuture(
                  AwsCredentialsIdentity.create("id", "secret"));
            }
          },
          true,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          true,
          Duration.ofMillis(50),
          Duration.ofSeconds(2));

  private static S3Transport.Response answer(Map<String, String> headers) {
    Map<String, List<String>> values = new java.util.HashMap<>();
    headers.forEach((name, value) -> values.put(name, List.of(value)));
    return new S3Transport.Response(503, HttpHeaders.of(values, (a, b) -> true), new byte[0]);
  }

  @Test
  void retryAfter_inSeconds_orAsADateCountedFromTheAnswersDate_orNull() {
    assertThat(S3Retry.retryAfter(answer(Map.of("retry-after", "7"))))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(
            S3Retry.retryAfter(
                answer(
                    Map.of(
                        "date", "Mon, 07 Dec 2026 03:00:00 GMT",
                        "retry-after", "Mon, 07 Dec 2026 03:00:12 GMT"))))
        .isEqualTo(Duration.ofSeconds(12));
    assertThat(
            S3Retry.retryAfter(
                answer(
                    Map.of(
                        "date", "Mon, 07 Dec 2026 03:00:00 GMT",
                        "retry-after", "Mon, 07 Dec 2026 02:59:00 GMT"))))
        .isEqualTo(Duration.ZERO);
    assertThat(S3Retry.retryAfter(answer(Map.of("retry-after", "soon")))).isNull();
    assertThat(S3Retry.retryAfter(answer(Map.of()))).isNull();
    assertThat(S3Retry.retryAfter(null)).isNull();
  }

  @Test
  void waitMillis_isTheBackoff_orWhatTheStoreAsked_cappedAtAMinute() {
    for (int attempt = 1; attempt < 10; attempt++) {
      assertThat(S3Retry.waitMillis(SETTINGS, attempt, null)).isBetween(0L, 2_000L);
      assertThat(S3Retry.waitMillis(SETTINGS, attempt, Duration.ofSeconds(5))).isEqualTo(5_000L);
      assertThat(S3Retry.waitMillis(SETTINGS, attempt, Duration.ofHours(1))).isEqualTo(60_000L);
      assertThat(S3Retry.waitMillis(SETTINGS, attempt, Duration.ZERO)).isBetween(0L, 2_000L);
    }
  }
}
