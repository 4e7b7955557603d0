package io.mps3.internal.s3;

import io.mps3.internal.util.Md5;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.ObjectStoreException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs S3 requests with the AWS SDK's standalone SigV4 signer and sends them over {@code
 * java.net.http}, retrying what may be retried.
 *
 * <p>Retries: connection failures, timeouts, 500, 502, 503, 504, 429, and 409 conflicts of
 * conditional writes, with capped exponential backoff and full jitter, until {@code maxAttempts} or
 * the call timeout. The caller learns whether an earlier attempt may have been applied (the request
 * was sent and no answer says it was not), which a conditional write needs to tell a lost success
 * from a failure.
 *
 * <p>Payloads are not signed ({@code UNSIGNED-PAYLOAD}); bodies carry {@code Content-MD5}, which
 * the server checks.
 *
 * <p>Thread-safe.
 */
public final class S3Transport implements AutoCloseable {

  /** A response of the store. */
  // Responses are never compared or hashed, so the array's identity equality does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  public record Response(int status, HttpHeaders headers, byte[] body) {
    /** The store's {@code Date}, or null when absent or unreadable. */
    public @Nullable Instant date() {
      return headers.firstValue("date").map(S3Transport::parseHttpDate).orElse(null);
    }

    /** A header's first value, or null. */
    public @Nullable String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /**
   * How a call ended: its last response, or the failure that ended it, and whether an attempt that
   * got no definite answer may have been applied by the store.
   */
  public record Result(
      @Nullable Response response,
      @Nullable ObjectStoreException failure,
      boolean mayHaveApplied,
      int attempts) {}

  private static final AtomicInteger CLIENTS = new AtomicInteger();
  private static final Set<String> UNSENDABLE =
      Set.of("host", "content-length", "connection", "expect", "upgrade");
  private static final Set<Integer> RETRY_NOT_APPLIED = Set.of(429, 503);
  private static final Set<Integer> RETRY_MAYBE_APPLIED = Set.of(408, 500, 502, 504);

  private static final System.Logger LOG = System.getLogger(S3Transport.class.getName());

  private final S3Settings settings;
  private final ExecutorService executor;
  private final Set<CompletableFuture<Result>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final HttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String endpointText;

  /** A transport with its own daemon threads. */
  public S3Transport(S3Settings settings) {
    this.settings = settings;
    int id = CLIENTS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "mps3-s3-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(min(settings.connectTimeout(), settings.callTimeout()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    this.endpointText = settings.endpoint().toString();
  }

  /** The endpoint, for messages. */
  public String endpoint() {
    return endpointText;
  }

  /** Sends a request, retrying what may be retried. The future never completes exceptionally. */
  // Ignored future: the callback only forgets `result`. A future's identity equality is what the
  // pending set needs, so its undefined value equality does not matter.
  @SuppressWarnings({"FutureReturnValueIgnored", "CollectionUndefinedEquality"})
  public CompletableFuture<Result> send(S3Request request) {
    long deadline = System.nanoTime() + settings.callTimeout().toNanos();
    CompletableFuture<Result> result = new CompletableFuture<>();
    pending.add(result);
    result.whenComplete((r, e) -> pending.remove(result));
    if (closed) {
      result.complete(closedResult(request));
    } else {
      guarded(request, 1, false, deadline, result);
    }
    return result;
  }

  /** A call cut short by {@link #close()}: it may have been applied, nobody can tell. */
  private Result closedResult(S3Request request) {
    return new Result(
        null,
        new ObjectStoreException(
            Kind.CLOSED,
            request.describe() + " at " + endpointText + ": the store was closed",
            null),
        true,
        0);
  }

  // Ignored future: the callback completes `result` on every path, a failure of its own too.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void attempt(
      S3Request request,
      int attempt,
      boolean mayHaveApplied,
      long deadline,
      CompletableFuture<Result> result) {
    long remaining = deadline - System.nanoTime();
    exchange(request, Duration.ofNanos(Math.max(remaining, 1_000_000)))
        .whenComplete(
            (response, error) -> {
              try {
                Throwable cause = unwrap(error);
                Retry verdict = classify(request, response, cause);
                boolean applied = mayHaveApplied || verdict == Retry.MAYBE_APPLIED;
                long delay = backoff(attempt);
                boolean timeLeft = System.nanoTime() + delay * 1_000_000 < deadline;
                if (verdict != Retry.NO
                    && attempt < settings.maxAttempts()
                    && timeLeft
                    && !closed) {
                  LOG.log(
                      System.Logger.Level.DEBUG,
                      () ->
                          request.describe()
                              + " at "
                              + endpointText
                              + ": attempt "
                              + attempt
                              + " failed ("
                              + (cause != null ? cause.toString() : "status " + response.status())
                              + "), retrying in "
                              + delay
                              + " ms");
                  CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                      .execute(() -> retry(request, attempt + 1, applied, deadline, result));
                  return;
                }
                ObjectStoreException failure = null;
                if (cause != null) {
                  failure = failure(request, cause, attempt);
                } else if (verdict != Retry.NO) {
                  failure = failure(request, response, attempt);
                }
                result.complete(
                    new Result(failure == null ? response : null, failure, applied, attempt));
              } catch (RuntimeException e) {
                // A bug above must still end the call: a failure swallowed here would leave
                // `result`, and the caller, waiting for good.
                result.complete(new Result(null, failure(request, e, attempt), true, attempt));
              }
            });
  }

  private void retry(
      S3Request request,
      int attempt,
      boolean mayHaveApplied,
      long deadline,
      CompletableFuture<Result> result) {
    if (closed) {
      result.complete(closedResult(request));
      return;
    }
    guarded(request, attempt, mayHaveApplied, deadline, result);
  }

  /** An attempt whose synchronous failures (a credentials provider that throws) end the call. */
  private void guarded(
      S3Request request,
      int attempt,
      boolean mayHaveApplied,
      long deadline,
      CompletableFuture<Result> result) {
    try {
      attempt(request, attempt, mayHaveApplied, deadline, result);
    } catch (RuntimeException e) {
      result.complete(new Result(null, failure(request, e, attempt), mayHaveApplied, attempt));
    }
  }

  private enum Retry {
    NO,
    NOT_APPLIED,
    MAYBE_APPLIED
  }

  private static Retry classify(
      S3Request request, @Nullable Response response, @Nullable Throwable error) {
    if (error != null) {
      if (error instanceof ConnectException
          || error instanceof HttpConnectTimeoutException
          || error instanceof UnresolvedAddressException) {
        return Retry.NOT_APPLIED;
      }
      return error instanceof IOException ? Retry.MAYBE_APPLIED : Retry.NO;
    }
    if (response == null) {
      return Retry.NO;
    }
    int status = response.status();
    if (RETRY_NOT_APPLIED.contains(status)) {
      return Retry.NOT_APPLIED;
    }
    if (RETRY_MAYBE_APPLIED.contains(status)) {
      return Retry.MAYBE_APPLIED;
    }
    if (status == 409 && isConditional(request)) {
      return Retry.NOT_APPLIED; // ConditionalRequestConflict: a conflicting write is in flight
    }
    if (status == 400 && "RequestTimeout".equals(S3Xml.parseError(response.body()).code())) {
      return Retry.MAYBE_APPLIED;
    }
    return Retry.NO;
  }

  private static boolean isConditional(S3Request request) {
    return request.headers.containsKey("If-None-Match") || request.headers.containsKey("If-Match");
  }

  private long backoff(int attempt) {
    long base = settings.retryBaseDelay().toMillis();
    long cap = settings.retryMaxDelay().toMillis();
    long ceiling = Math.min(cap, base << Math.min(attempt - 1, 20));
    return ThreadLocalRandom.current().nextLong(Math.max(ceiling, 1) + 1);
  }

  /** One signed exchange, no retry. */
  private CompletableFuture<Response> exchange(S3Request request, Duration timeLeft) {
    CompletableFuture<? extends AwsCredentialsIdentity> resolved;
    try {
      resolved = settings.credentials().resolveIdentity(); // SDK providers may throw here
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return resolved
        .thenCompose(
            identity -> {
              HttpRequest httpRequest =
                  sign(request, identity, min(settings.requestTimeout(), timeLeft));
              return http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
            })
        .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
  }

  private HttpRequest sign(S3Request request, AwsCredentialsIdentity identity, Duration timeout) {
    URI endpoint = settings.endpoint();
    String host = endpoint.getHost();
    StringBuilder path = new StringBuilder("/");
    if (request.bucket != null) {
      if (settings.pathStyle()) {
        path.append(S3Encoding.value(request.bucket));
        if (request.key != null) {
          path.append('/');
        }
      } else {
        host = request.bucket + "." + host;
      }
    }
    if (request.key != null) {
      path.append(S3Encoding.path(request.key));
    }
    byte[] body = request.body;
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method))
            .protocol(endpoint.getScheme())
            .host(host)
            .port(endpoint.getPort())
            .encodedPath(path.toString());
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> parameter : request.query.entrySet()) {
      unsigned.appendRawQueryParameter(parameter.getKey(), parameter.getValue());
      query.append(query.length() == 0 ? '?' : '&').append(S3Encoding.value(parameter.getKey()));
      query.append('=').append(S3Encoding.value(parameter.getValue()));
    }
    request.headers.forEach(unsigned::putHeader);
    if (body != null) {
      unsigned.putHeader("Content-MD5", Md5.base64(Md5.digest(body)));
    }
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(unsigned.build())
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region())
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    String portPart = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
    URI uri = URI.create(endpoint.getScheme() + "://" + host + portPart + path + query);
    HttpRequest.Builder out =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .method(
                request.method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!UNSENDABLE.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        for (String value : header.getValue()) {
          out.header(header.getKey(), value);
        }
      }
    }
    return out.build();
  }

  // -- errors -----------------------------------------------------------------------------------

  /** The typed failure of an error response. */
  public ObjectStoreException failure(S3Request request, Response response, int attempts) {
    S3Xml.ErrorDocument error = S3Xml.parseError(response.body());
    int status = response.status();
    String code = error.code();
    Kind kind;
    String hint = "";
    if (status == 403 || status == 401) {
      kind = Kind.ACCESS_DENIED;
      hint = "; check the access key id, the secret key and the bucket's permissions";
    } else if (status == 404 && "NoSuchBucket".equals(code)) {
      kind = Kind.NO_SUCH_BUCKET;
    } else if (status == 501 || "NotImplemented".equals(code)) {
      kind = Kind.UNSUPPORTED;
    } else if (status == 429 || status >= 500 || status == 408) {
      kind = Kind.UNAVAILABLE;
    } else {
      kind = Kind.INVALID_REQUEST;
    }
    StringBuilder message =
        new StringBuilder(request.describe()).append(" at ").append(endpointText).append(": ");
    message.append(status);
    if (code != null) {
      message.append(' ').append(code);
    }
    if (error.message() != null) {
      message.append(": ").append(error.message());
    }
    if (error.requestId() != null || response.header("x-amz-request-id") != null) {
      message
          .append(" (request id ")
          .append(
              error.requestId() != null ? error.requestId() : response.header("x-amz-request-id"))
          .append(')');
    }
    if (attempts > 1) {
      message.append(", after ").append(attempts).append(" attempts");
    }
    message.append(hint);
    return new ObjectStoreException(
        kind,
        message.toString(),
        status,
        code,
        error.requestId() != null ? error.requestId() : response.header("x-amz-request-id"),
        null);
  }

  private ObjectStoreException failure(S3Request request, Throwable cause, int attempts) {
    String what;
    if (cause instanceof HttpConnectTimeoutException) {
      what = "could not connect within the timeout";
    } else if (cause instanceof HttpTimeoutException) {
      what = "no answer within the timeout";
    } else if (cause instanceof ConnectException) {
      what = "cannot connect (" + cause.getMessage() + ")";
    } else if (cause instanceof UnresolvedAddressException) {
      what = "unknown host";
    } else if (cause instanceof IOException) {
      what = "connection failed: " + cause;
    } else {
      return new ObjectStoreException(
          Kind.INTERNAL, request.describe() + " at " + endpointText + " failed: " + cause, cause);
    }
    return new ObjectStoreException(
        Kind.UNAVAILABLE,
        request.describe()
            + " at "
            + endpointText
            + ": "
            + what
            + (attempts > 1 ? ", after " + attempts + " attempts" : ""),
        cause);
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable current = error;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  static @Nullable Instant parseHttpDate(String value) {
    try {
      return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops the threads; calls in flight complete at once with a {@code CLOSED} failure. */
  @Override
  public void close() {
    closed = true;
    for (CompletableFuture<Result> call : List.copyOf(pending)) {
      call.complete(new Result(null, closedFailure(), true, 0));
    }
    executor.shutdownNow();
  }

  private ObjectStoreException closedFailure() {
    return new ObjectStoreException(
        Kind.CLOSED, "S3 store at " + endpointText + " was closed during the call", null);
  }
}
