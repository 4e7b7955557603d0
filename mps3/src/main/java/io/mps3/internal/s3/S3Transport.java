package io.mps3.internal.s3;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.ObjectStoreException.Kind;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs S3 requests with the AWS SDK's standalone SigV4 signer and sends them over {@code
 * java.net.http}, retrying what may be retried.
 *
 * <p>Retries ({@link S3Retry}, the one policy of every call): connection failures, timeouts, 500,
 * 502, 503, 504, 429, and 409 conflicts of conditional writes, with capped exponential backoff and
 * full jitter (or the store's {@code Retry-After}), for as long as the call's deadline allows: no
 * count of attempts bounds them, so a call rides out an outage shorter than its timeout. The caller
 * learns whether an earlier attempt may have been applied (the request was sent and no answer says
 * it was not), which a conditional write needs to tell a lost success from a failure, and which
 * ends the resends of a request past its limit ({@link S3Request#resendWithin(Duration)}, design
 * 0015).
 *
 * <p>Payloads are not signed ({@code UNSIGNED-PAYLOAD}); bodies carry {@code Content-MD5}, which
 * the server checks.
 *
 * <p>Thread-safe.
 */
public final class S3Transport implements AutoCloseable {

  /** A response of the store. */
  @SuppressWarnings("ArrayRecordComponent") // a body as received; responses are never compared
  public record Response(int status, HttpHeaders headers, byte[] body) {
    /** The store's {@code Date}, or null when absent or unreadable. */
    public @Nullable Instant date() {
      return headers.firstValue("date").map(HttpDates::parse).orElse(null);
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

  private static final System.Logger LOG = System.getLogger(S3Transport.class.getName());

  private final S3Settings settings;
  private final ExecutorService executor;
  private final Set<CompletableFuture<Result>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final HttpClient http;
  private final String endpointText;
  private final S3Failures failures;
  private final S3Signer signer;
  private final Duration connectTimeout;

  /** Ends calls at their deadline. */
  private final ScheduledExecutorService timer;

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
    this.connectTimeout = min(settings.connectTimeout(), settings.callTimeout());
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
    this.endpointText = settings.endpoint().toString();
    this.failures = new S3Failures(settings.endpoint());
    this.signer = new S3Signer(settings);
    ScheduledThreadPoolExecutor deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mps3-s3-" + id + "-deadlines");
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true); // a call that ends in time leaves nothing behind
    this.timer = deadlines;
  }

  /** The endpoint, for messages. */
  public String endpoint() {
    return endpointText;
  }

  /** The deadline of a call that starts now, on the {@link System#nanoTime()} scale. */
  public long deadlineFromNow() {
    return System.nanoTime() + settings.callTimeout().toNanos();
  }

  /**
   * Sends a request, retrying what may be retried, and ends it at its deadline ({@code
   * callTimeout}) whatever its attempt is waiting for: a connection, the headers, or a body that
   * stalls halfway (the JDK's request timeout covers only the wait for the headers). The future
   * never completes exceptionally.
   */
  public CompletableFuture<Result> send(S3Request request) {
    return send(request, deadlineFromNow());
  }

  /**
   * Sends a request that must end by {@code deadlineNanos} (a step of a call already under way,
   * such as the read-back of a write whose answer was lost, shares that call's deadline).
   */
  // Ignored future: the callback only forgets `result`. A future's identity equality is what the
  // pending set needs, so its undefined value equality does not matter.
  @SuppressWarnings({"FutureReturnValueIgnored", "CollectionUndefinedEquality"})
  public CompletableFuture<Result> send(S3Request request, long deadlineNanos) {
    S3Call call = new S3Call(request, deadlineNanos);
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      expire(call); // no time left for even one attempt
      return call.result;
    }
    pending.add(call.result);
    if (closed) {
      call.result.complete(closedResult(request));
      return call.result;
    }
    ScheduledFuture<?> guard;
    try {
      guard = timer.schedule(() -> expire(call), left, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      call.result.complete(closedResult(request)); // closed between the check and here
      return call.result;
    }
    long started = System.nanoTime();
    call.result.whenComplete(
        (r, e) -> {
          pending.remove(call.result);
          guard.cancel(false);
          LOG.log(System.Logger.Level.DEBUG, () -> failures.outcome(request, r, started));
        });
    guarded(call, 1, false);
    return call.result;
  }

  /**
   * Ends a call at its deadline. An attempt in flight may still be applied by the store, so a
   * write's outcome is unknown; its exchange is cancelled, which closes its connection.
   */
  private void expire(S3Call call) {
    int attempts = call.attempts.get();
    call.end(
        new Result(
            null,
            failures.deadline(call.request, settings.callTimeout(), attempts, call.before),
            true,
            attempts));
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

  // Ignored future: the callback completes the call's result on every path, a failure of its own
  // too.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void attempt(S3Call call, int attempt, boolean mayHaveApplied) {
    S3Request request = call.request;
    call.attempts.set(attempt);
    Duration timeLeft = Duration.ofNanos(Math.max(call.deadline - System.nanoTime(), 1_000_000));
    Duration attemptTimeout = min(settings.requestTimeout(), timeLeft);
    exchange(call, attemptTimeout)
        .whenComplete(
            (response, error) -> {
              if (call.result.isDone()) {
                return; // ended by its deadline or by close()
              }
              try {
                settle(call, attempt, mayHaveApplied, attemptTimeout, response, error);
              } catch (RuntimeException e) {
                // A bug must still end the call: left waiting, its caller would wait until the
                // deadline for an answer that never comes.
                call.result.complete(new Result(null, failures.failed(request, e), true, attempt));
              }
            });
  }

  /** What an attempt's answer means: the call's result, or another attempt. */
  private void settle(
      S3Call call,
      int attempt,
      boolean mayHaveApplied,
      Duration attemptTimeout,
      @Nullable Response response,
      @Nullable Throwable error) {
    S3Request request = call.request;
    Throwable cause = unwrap(error);
    S3Retry verdict = S3Retry.of(request, response, cause);
    boolean applied = mayHaveApplied || verdict == S3Retry.MAYBE_APPLIED;
    if (cause instanceof HttpTimeoutException
        && !(cause instanceof HttpConnectTimeoutException)
        && attemptTimeout.compareTo(settings.requestTimeout()) < 0) {
      // The attempt had only what was left of the call's time: the call's deadline ran out.
      ObjectStoreException late =
          failures.deadline(request, settings.callTimeout(), attempt, call.before);
      call.result.complete(new Result(null, late, true, attempt));
      return;
    }
    if (verdict == S3Retry.NO) {
      ObjectStoreException failure =
          cause == null
              ? null
              : failures.exchange(
                  request,
                  cause,
                  failures.cause(cause, connectTimeout, attemptTimeout),
                  S3Failures.ending(attempt, null, null));
      call.result.complete(
          new Result(failure == null ? response : null, failure, applied, attempt));
      return;
    }
    Duration retryAfter = S3Retry.retryAfter(response);
    long delay = S3Retry.waitMillis(settings, attempt, retryAfter);
    long now = System.nanoTime();
    long next = now + TimeUnit.MILLISECONDS.toNanos(delay);
    boolean fits = next < call.deadline;
    // No late copy of a write that may have landed (a causal entry's LastModified would move).
    boolean resendRefused = applied && fits && next >= call.resendDeadline;
    String what =
        cause != null
            ? failures.cause(cause, connectTimeout, attemptTimeout)
            : S3Failures.status(Objects.requireNonNull(response, "no failure, so a response"));
    if (settings.retrying() && fits && !resendRefused && !closed) {
      call.before = what;
      LOG.log(
          System.Logger.Level.DEBUG,
          () ->
              String.format(
                  "%s at %s: attempt %d failed (%s), retrying in %d ms",
                  request.describe(), endpointText, attempt, what, delay));
      try { // not CompletableFuture.delayedExecutor: with 1 or 2 cores, a thread per task
        var unused = timer.schedule(() -> retry(call, attempt + 1, applied), delay, MILLISECONDS);
      } catch (RejectedExecutionException e) {
        call.result.complete(closedResult(request)); // closed meanwhile
      }
      return;
    }
    boolean outOfTime = settings.retrying() && !fits;
    boolean askedTooMuch =
        retryAfter != null
            && now + Math.min(retryAfter.toNanos(), S3Retry.MAX_RETRY_AFTER.toNanos())
                >= call.deadline;
    String ending =
        resendRefused && settings.retrying() && request.resendWithin != null
            ? S3Failures.resendRefused(attempt, request.resendWithin)
            : S3Failures.ending(
                attempt,
                outOfTime ? settings.callTimeout() : null,
                outOfTime && askedTooMuch ? retryAfter : null);
    ObjectStoreException failure =
        cause != null
            ? failures.exchange(request, cause, what, ending)
            : failures.response(request, Objects.requireNonNull(response, "a response"), ending);
    call.result.complete(new Result(null, failure, applied, attempt));
  }

  private void retry(S3Call call, int attempt, boolean mayHaveApplied) {
    if (closed) {
      call.result.complete(closedResult(call.request));
      return;
    }
    if (!call.result.isDone()) {
      guarded(call, attempt, mayHaveApplied);
    }
  }

  /** An attempt whose synchronous failures (a credentials provider that throws) end the call. */
  private void guarded(S3Call call, int attempt, boolean mayHaveApplied) {
    try {
      attempt(call, attempt, mayHaveApplied);
    } catch (RuntimeException e) {
      call.result.complete(
          new Result(null, failures.failed(call.request, e), mayHaveApplied, attempt));
    }
  }

  /** One signed exchange, no retry. */
  private CompletableFuture<Response> exchange(S3Call call, Duration timeout) {
    S3Request request = call.request;
    CompletableFuture<? extends AwsCredentialsIdentity> resolved;
    try {
      resolved = settings.credentials().resolveIdentity(); // SDK providers may throw here
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return resolved
        .thenCompose(
            identity -> {
              HttpRequest httpRequest = signer.sign(request, identity, timeout);
              return S3Exchange.send(http, executor, httpRequest, call);
            })
        .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
  }

  /** The typed failure of an error response. */
  public ObjectStoreException failure(S3Request request, Response response, int attempts) {
    return failures.response(request, response, attempts);
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable current = error;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
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
    timer.shutdownNow();
  }

  private ObjectStoreException closedFailure() {
    return new ObjectStoreException(
        Kind.CLOSED, "S3 store at " + endpointText + " was closed during the call", null);
  }
}
