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
import java.net.URI;
import java.time.Duration;
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

  /** {@return a builder with every option at its default} */
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

  /**
   * Creates a bucket; succeeds when this account already owns it.
   *
   * @param bucket the bucket's name
   * @return a future that completes when the bucket exists, or fails with an {@link
   *     io.mps3.spi.ObjectStoreException}
   */
  public CompletableFuture<Void> createBucket(String bucket) {
    return operations.createBucket(bucket);
  }

  /**
   * Turns versioning on for a bucket (needed by the causal protocol's versioned mode). Stores
   * without versioning fail with {@link io.mps3.spi.ObjectStoreException.Kind#UNSUPPORTED}.
   *
   * @param bucket the bucket's name
   * @return a future that completes once versioning is on
   */
  public CompletableFuture<Void> enableVersioning(String bucket) {
    return operations.enableVersioning(bucket);
  }

  /**
   * Asks whether versioning is enabled on a bucket.
   *
   * @param bucket the bucket's name
   * @return a future of the store's answer: false when versioning was never enabled or is suspended
   */
  public CompletableFuture<Boolean> versioningEnabled(String bucket) {
    return operations.versioningEnabled(bucket);
  }

  /**
   * The bucket's CORS rules (GetBucketCors), which decide whether browsers running the JavaScript
   * MPS3 client can use the bucket.
   *
   * @param bucket the bucket's name
   * @return a future of the rules, empty when the bucket has none
   */
  public CompletableFuture<Optional<CorsRules>> corsRules(String bucket) {
    return operations.corsRules(bucket).thenApply(found -> found.map(CorsRules::fromElements));
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
   * names the option at fault. Every method throws {@link NullPointerException} when given null.
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
     * The service's base URL. Default: {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}, else
     * AWS S3 in the region. {@link #build()} refuses plain http unless the host is a loopback
     * address or {@link #allowInsecureHttp()} was called.
     *
     * @param endpoint scheme, host and port only: no bucket, path or query
     * @return this builder
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The signing region. Default: {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, else us-east-1.
     *
     * @param region the region's name, such as {@code eu-west-1}
     * @return this builder
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /**
     * Static credentials. Default: {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
     * {@code AWS_SESSION_TOKEN}, else {@link #build()} fails. The store never prints them.
     *
     * @param accessKeyId the access key's id
     * @param secretAccessKey the access key's secret
     * @return this builder
     */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      return credentialsProvider(
          StaticCredentials.of(AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)));
    }

    /**
     * Temporary credentials with a session token, as from AWS STS.
     *
     * @param accessKeyId the access key's id
     * @param secretAccessKey the access key's secret
     * @param sessionToken the session token
     * @return this builder
     */
    public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
      return credentialsProvider(
          StaticCredentials.of(
              AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken)));
    }

    /**
     * Any AWS SDK identity provider, asked before each request (so rotating credentials work), for
     * example the SDK's {@code DefaultCredentialsProvider}.
     *
     * @param p the provider
     * @return this builder
     */
    public Builder credentialsProvider(IdentityProvider<? extends AwsCredentialsIdentity> p) {
      this.credentials = Objects.requireNonNull(p, "credentialsProvider");
      return this;
    }

    /**
     * Puts the bucket in the path ({@code https://host/bucket/key}). The default for every endpoint
     * but AWS's own, and what most S3-compatible servers expect.
     *
     * @return this builder
     */
    public Builder pathStyle() {
      this.pathStyle = true;
      return this;
    }

    /**
     * Puts the bucket in the host name ({@code https://bucket.host/key}). The default for AWS
     * endpoints.
     *
     * @return this builder
     */
    public Builder virtualHostedStyle() {
      this.pathStyle = false;
      return this;
    }

    /**
     * Allows plain {@code http://} to a host that is not a loopback address. Requests are still
     * signed, but anyone on the path can read and change the data.
     *
     * @return this builder
     */
    public Builder allowInsecureHttp() {
      this.insecureHttpAllowed = true;
      return this;
    }

    /**
     * How long one attempt may wait for a connection, at most the call timeout. Default 10 s: a
     * reachable store connects in milliseconds, so more means a wrong host or a firewall.
     *
     * @param timeout the wait, more than zero
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long one attempt may wait for its answer, at most what is left of the call timeout; a
     * server that stops answering is then retried within the call. Default 30 s.
     *
     * @param timeout the wait, more than zero
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
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
     *
     * @param timeout the deadline, more than zero
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /**
     * One attempt per call, no retries: for callers that count requests (benchmarks) or retry
     * themselves.
     *
     * @return this builder
     */
    public Builder disableRetries() {
      this.retrying = false;
      return this;
    }

    /**
     * The backoff between attempts: a random wait up to a ceiling that starts at {@code base} and
     * doubles each retry up to {@code max}. Default 50 ms and 2 s.
     *
     * @param base the first retry's ceiling, more than zero
     * @param max the highest ceiling, at least {@code base}
     * @return this builder
     * @throws IllegalArgumentException when either is zero or negative, or {@code max} is below
     *     {@code base}
     */
    public Builder retryBackoff(Duration base, Duration max) {
      this.retryBaseDelay = positive(base, "retryBackoff base");
      this.retryMaxDelay = positive(max, "retryBackoff max");
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "retryBackoff max (" + max + ") must not be below base (" + base + ")");
      }
      return this;
    }

    /**
     * Where the {@code AWS_*} defaults are read from. Default: the process environment.
     *
     * @param variables the variables by name; copied
     * @return this builder
     */
    public Builder environment(Map<String, String> variables) {
      this.environment = Map.copyOf(variables);
      return this;
    }

    /**
     * Validates the options, fills in the defaults, and creates the store.
     *
     * @return a new store, which its caller closes
     * @throws IllegalArgumentException naming the option that is missing or wrong
     */
    public S3ObjectStore build() {
      AwsEnvironment defaults = new AwsEnvironment(environment);
      String resolvedRegion = region != null && !region.isBlank() ? region : defaults.region();
      URI checked =
          S3Endpoints.checked(endpoint != null ? endpoint : defaults.endpoint(resolvedRegion));
      if (!insecureHttpAllowed) {
        S3Endpoints.requireHttpsUnlessLoopback(checked);
      }
      return new S3ObjectStore(
          new S3Settings(
              checked,
              resolvedRegion,
              credentials != null ? credentials : defaults.credentials(),
              pathStyle != null ? pathStyle : S3Endpoints.pathStyleByDefault(checked),
              connectTimeout,
              requestTimeout,
              callTimeout,
              retrying,
              retryBaseDelay,
              retryMaxDelay));
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
