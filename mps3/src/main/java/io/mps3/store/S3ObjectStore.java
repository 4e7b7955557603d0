package io.mps3.store;

import io.mps3.internal.s3.S3Operations;
import io.mps3.internal.s3.S3Settings;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * A store that talks to any S3-compatible service over HTTP: AWS S3, MinIO, R2, Ceph, S3Proxy, and
 * so on. Requests are signed with SigV4 (the AWS SDK's standalone signer) and sent with {@code
 * java.net.http}; listings are read with {@code encoding-type=url}, so any key round-trips.
 *
 * <pre>{@code
 * ObjectStore store = S3ObjectStore.builder()
 *     .endpoint(URI.create("https://s3.eu-west-1.amazonaws.com"))
 *     .region("eu-west-1")
 *     .credentials(accessKeyId, secretAccessKey)
 *     .build();
 * }</pre>
 *
 * <p>Anything not set on the builder comes from the standard environment variables: {@code
 * AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}, {@code AWS_REGION} or {@code
 * AWS_DEFAULT_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code
 * AWS_SESSION_TOKEN}. Any AWS SDK identity provider may be plugged in instead, the SDK's default
 * chain included.
 *
 * <p>Failures are {@link io.mps3.spi.ObjectStoreException}s naming the endpoint, the call and the
 * cause in words (status, S3 error code and request id; or connection refused, reset, unknown host,
 * TLS, a timeout), never a secret. Each call has a deadline ({@link Builder#callTimeout}) within
 * which connection failures, timeouts, 5xx and 429 are retried with capped exponential backoff and
 * jitter (longer if the store's {@code Retry-After} says so): no count of attempts stops them, so a
 * call rides out a shorter outage. A conditional write is never counted a success by guess: when an
 * earlier attempt may have landed, the store reads the object back (by the same deadline) and
 * reports {@link PutOutcome.Written} only if it holds this very body, else {@link
 * PutOutcome.OutcomeUnknown}.
 *
 * <p>Thread-safe. Owns daemon threads, released by {@link #close()}.
 *
 * @since 0.1
 */
public final class S3ObjectStore implements ObjectStore {

  private final S3Operations operations;

  private S3ObjectStore(S3Settings settings) {
    this.operations = new S3Operations(settings);
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    return operations.get(bucket, key, options);
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    return operations.put(bucket, key, body, options);
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return operations.head(bucket, key);
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return operations.delete(bucket, key);
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return operations.list(bucket, request);
  }

  /** Creates a bucket; succeeds when this account already owns it. */
  public CompletableFuture<Void> createBucket(String bucket) {
    return operations.createBucket(bucket);
  }

  /**
   * Turns versioning on for a bucket (needed by the causal protocol's versioned mode). Stores
   * without versioning fail with {@link io.mps3.spi.ObjectStoreException.Kind#UNSUPPORTED}.
   */
  public CompletableFuture<Void> enableVersioning(String bucket) {
    return operations.enableVersioning(bucket);
  }

  /** Whether versioning is enabled on a bucket, as the store says. */
  public CompletableFuture<Boolean> versioningEnabled(String bucket) {
    return operations.versioningEnabled(bucket);
  }

  /**
   * The bucket's CORS rules (GetBucketCors), which decide whether browsers running the JavaScript
   * MPS3 client can use the bucket; empty when the bucket has none.
   */
  public CompletableFuture<Optional<CorsRules>> corsRules(String bucket) {
    return operations
        .corsRules(bucket)
        .thenApply(
            found ->
                found.map(
                    rules ->
                        new CorsRules(
                            rules.stream()
                                .map(
                                    r ->
                                        new CorsRules.Rule(
                                            r.getOrDefault("AllowedOrigin", List.of()),
                                            r.getOrDefault("AllowedMethod", List.of()),
                                            r.getOrDefault("AllowedHeader", List.of()),
                                            r.getOrDefault("ExposeHeader", List.of())))
                                .toList())));
  }

  @Override
  public void close() {
    operations.close();
  }

  @Override
  public String toString() {
    return "S3 store at " + operations.endpoint();
  }

  /**
   * Options of an {@link S3ObjectStore}. Not thread-safe; {@link #build()} validates everything and
   * names the option at fault.
   */
  public static final class Builder {

    private @Nullable URI endpoint;
    private @Nullable String region;
    private @Nullable IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private @Nullable Boolean pathStyle;
    private boolean insecureHttpAllowed;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(30);
    private boolean retrying = true;
    private Duration retryBaseDelay = Duration.ofMillis(50);
    private Duration retryMaxDelay = Duration.ofSeconds(2);
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /**
     * The service's base URL: scheme, host and port, without a bucket or path. Default: {@code
     * AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}, else AWS S3 in the region. HTTPS unless the
     * host is a loopback address or {@link #allowInsecureHttp()} was called.
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The signing region. Default: {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, us-east-1. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Static credentials. Default: {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}. */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      return credentialsProvider(
          StaticCredentials.of(AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)));
    }

    /** Temporary credentials with a session token. */
    public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
      return credentialsProvider(
          StaticCredentials.of(
              AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken)));
    }

    /**
     * Any AWS SDK identity provider, asked before each request (so rotating credentials work), for
     * example the SDK's {@code DefaultCredentialsProvider}.
     */
    public Builder credentialsProvider(IdentityProvider<? extends AwsCredentialsIdentity> p) {
      this.credentials = Objects.requireNonNull(p, "credentialsProvider");
      return this;
    }

    /**
     * Puts the bucket in the path ({@code https://host/bucket/key}). The default for every endpoint
     * but AWS's own, and what most S3-compatible servers expect.
     */
    public Builder pathStyle() {
      this.pathStyle = true;
      return this;
    }

    /** Puts the bucket in the host name ({@code https://bucket.host/key}): default for AWS. */
    public Builder virtualHostedStyle() {
      this.pathStyle = false;
      return this;
    }

    /**
     * Allows plain {@code http://} to a host that is not a loopback address. Requests are still
     * signed, but anyone on the path can read and change the data.
     */
    public Builder allowInsecureHttp() {
      this.insecureHttpAllowed = true;
      return this;
    }

    /**
     * How long one attempt may wait for a connection, at most the call timeout. Default 10 s: a
     * reachable store connects in milliseconds, so more means a wrong host or a firewall.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long one attempt may wait for its answer, at most what is left of the call timeout; a
     * server that stops answering is then retried within the call. Default 30 s.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * The deadline of each call (get, put, list, ...), retries included, whatever it waits for: the
     * only bound on retries. Past it the call fails as {@code UNAVAILABLE}, naming the endpoint,
     * the timeout and the last cause (a write cut short may have been applied). Default 30 s; raise
     * it to wait out longer outages, lower it to fail faster.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** One attempt per call: for callers that count requests (benchmarks) or retry themselves. */
    public Builder disableRetries() {
      this.retrying = false;
      return this;
    }

    /** The first retry's backoff ceiling, doubled each retry up to {@code max}. 50 ms, 2 s. */
    public Builder retryBackoff(Duration base, Duration max) {
      this.retryBaseDelay = positive(base, "retryBackoff base");
      this.retryMaxDelay = positive(max, "retryBackoff max");
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "retryBackoff max (" + max + ") must not be below base (" + base + ")");
      }
      return this;
    }

    /** Where the {@code AWS_*} defaults are read from. Default: the process environment. */
    public Builder environment(Map<String, String> variables) {
      this.environment = Map.copyOf(variables);
      return this;
    }

    /**
     * Validates the options and creates the store.
     *
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public S3ObjectStore build() {
      String resolvedRegion = region != null ? region : env("AWS_REGION", "AWS_DEFAULT_REGION");
      if (resolvedRegion == null || resolvedRegion.isBlank()) {
        resolvedRegion = "us-east-1";
      }
      URI resolvedEndpoint = endpoint;
      if (resolvedEndpoint == null) {
        String fromEnv = env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
        resolvedEndpoint =
            URI.create(
                fromEnv != null ? fromEnv : "https://s3." + resolvedRegion + ".amazonaws.com");
      }
      URI checked = checkEndpoint(resolvedEndpoint);
      IdentityProvider<? extends AwsCredentialsIdentity> resolvedCredentials = credentials;
      if (resolvedCredentials == null) {
        String key = env("AWS_ACCESS_KEY_ID");
        String secret = env("AWS_SECRET_ACCESS_KEY");
        if (key == null || secret == null) {
          throw new IllegalArgumentException(
              "no credentials: call credentials(...) or credentialsProvider(...), or set"
                  + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        String token = env("AWS_SESSION_TOKEN");
        resolvedCredentials =
            StaticCredentials.of(
                token == null
                    ? AwsCredentialsIdentity.create(key, secret)
                    : AwsSessionCredentialsIdentity.create(key, secret, token));
      }
      boolean resolvedPathStyle =
          pathStyle != null
              ? pathStyle
              : !checked.getHost().toLowerCase(Locale.ROOT).endsWith(".amazonaws.com");
      return new S3ObjectStore(
          new S3Settings(
              checked,
              resolvedRegion,
              resolvedCredentials,
              resolvedPathStyle,
              connectTimeout,
              requestTimeout,
              callTimeout,
              retrying,
              retryBaseDelay,
              retryMaxDelay));
    }

    private URI checkEndpoint(URI uri) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "endpoint must be an http:// or https:// URL, was " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("endpoint has no host: " + uri);
      }
      if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
          || uri.getRawQuery() != null) {
        throw new IllegalArgumentException(
            "endpoint must be scheme://host[:port] only, without a path or query (the bucket is"
                + " given per call): "
                + uri);
      }
      if (scheme.equals("http") && !insecureHttpAllowed && !isLoopback(uri.getHost())) {
        throw new IllegalArgumentException(
            "endpoint "
                + uri
                + " uses plain http to a host that is not loopback; use https, or call"
                + " allowInsecureHttp() to accept that anyone on the path can read the data");
      }
      return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    private static boolean isLoopback(String host) {
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (bare.equalsIgnoreCase("localhost")) {
        return true;
      }
      if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
        return false; // a name: do not resolve it here
      }
      try {
        return InetAddress.getByName(bare).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }

    private @Nullable String env(String... names) {
      for (String name : names) {
        String value = environment.get(name);
        if (value != null && !value.isBlank()) {
          return value.trim();
        }
      }
      return null;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
