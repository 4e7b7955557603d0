package io.mps3.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ObjectStoreBuilderTest {

  @Test
  void build_withoutCredentials_namesWhatToSet() {
    assertThatThrownBy(() -> S3ObjectStore.builder().environment(Map.of()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no credentials")
        .hasMessageContaining("AWS_ACCESS_KEY_ID");
  }

  @Test
  void build_readsTheStandardEnvironmentVariables() {
    try (S3ObjectStore store =
        S3ObjectStore.builder()
            .environment(
                Map.of(
                    "AWS_ACCESS_KEY_ID", "id",
                    "AWS_SECRET_ACCESS_KEY", "do-not-print-me",
                    "AWS_REGION", "eu-west-1",
                    "AWS_ENDPOINT_URL", "http://127.0.0.1:9"))
            .build()) {
      assertThat(store.toString()).isEqualTo("S3 store at http://127.0.0.1:9");
    }
  }

  @Test
  void build_refusesPlainHttpToARemoteHost_unlessAllowed() {
    assertThatThrownBy(
            () ->
                S3ObjectStore.builder()
                    .endpoint(URI.create("http://s3.example.com"))
                    .credentials("id", "secret")
                    .build())
        .hasMessageContaining("plain http")
        .hasMessageContaining("allowInsecureHttp()");
    S3ObjectStore.builder()
        .endpoint(URI.create("http://s3.example.com"))
        .credentials("id", "secret")
        .allowInsecureHttp()
        .build()
        .close();
  }

  @Test
  void build_refusesEndpointsWithAPathOrAnotherScheme() {
    assertThatThrownBy(
            () ->
                S3ObjectStore.builder()
                    .endpoint(URI.create("https://host/bucket"))
                    .credentials("id", "secret")
                    .build())
        .hasMessageContaining("without a path");
    assertThatThrownBy(
            () ->
                S3ObjectStore.builder()
                    .endpoint(URI.create("ftp://host"))
                    .credentials("id", "secret")
                    .build())
        .hasMessageContaining("http:// or https://");
  }

  @Test
  void options_namesTheBadValue() {
    assertThatThrownBy(() -> S3ObjectStore.builder().callTimeout(Duration.ZERO))
        .hasMessage("callTimeout must be positive, was PT0S");
    assertThatThrownBy(
            () -> S3ObjectStore.builder().retryBackoff(Duration.ofSeconds(2), Duration.ofMillis(1)))
        .hasMessageContaining("must not be below base");
  }
}
