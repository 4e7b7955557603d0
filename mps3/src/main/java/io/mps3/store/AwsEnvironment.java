package io.mps3.store;

import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The standard {@code AWS_*} variables, as defaults for what an {@link S3ObjectStore.Builder} was
 * not given. A blank variable counts as unset; values are trimmed.
 */
final class AwsEnvironment {

  private final Map<String, String> variables;

  AwsEnvironment(Map<String, String> variables) {
    this.variables = variables;
  }

  /** {@return {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else us-east-1} */
  String region() {
    String region = first("AWS_REGION", "AWS_DEFAULT_REGION");
    return region != null ? region : "us-east-1";
  }

  /**
   * {@return {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL}, else AWS S3 in the region}
   */
  URI endpoint(String region) {
    String endpoint = first("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    return URI.create(endpoint != null ? endpoint : "https://s3." + region + ".amazonaws.com");
  }

  /**
   * {@return static credentials from {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and,
   * when set, {@code AWS_SESSION_TOKEN}}
   *
   * @throws IllegalArgumentException when the key or the secret is not set, saying what to set
   */
  IdentityProvider<? extends AwsCredentialsIdentity> credentials() {
    String key = first("AWS_ACCESS_KEY_ID");
    String secret = first("AWS_SECRET_ACCESS_KEY");
    if (key == null || secret == null) {
      throw new IllegalArgumentException(
          "no credentials: call credentials(...) or credentialsProvider(...), or set"
              + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    String token = first("AWS_SESSION_TOKEN");
    return StaticCredentials.of(
        token == null
            ? AwsCredentialsIdentity.create(key, secret)
            : AwsSessionCredentialsIdentity.create(key, secret, token));
  }

  private @Nullable String first(String... names) {
    for (String name : names) {
      String value = variables.get(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }
}
