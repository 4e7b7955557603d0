package io.mps3.internal.s3;

import io.mps3.internal.util.Backoff;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The retry policy of every S3 call, in one place: whether a failed attempt is retried, whether it
 * may have been applied, and how long to wait before the next one. Connection failures before
 * sending are safe to retry (refused, reset while connecting, an unknown host: a store restarting
 * or a network coming back), a lost answer may hide an applied write (a conditional write is then
 * settled by reading it back), throttling and unavailability are retried, other answers stand. A
 * failed TLS handshake is not retried: a wrong scheme or an untrusted certificate does not heal by
 * waiting (a TLS connection lost after the handshake is retried like any other).
 *
 * <p>What bounds the retries is the call's deadline ({@code callTimeout}), not a count: a retry is
 * made only if its wait ends before the deadline. The wait is the capped, fully jittered backoff of
 * {@link Backoff}, or longer when the store asks for it with {@code Retry-After} (honoured up to
 * {@link #MAX_RETRY_AFTER}; a wait past the deadline ends the call at once, saying so).
 */
enum S3Retry {
  /** Not to be retried: the answer stands. */
  NO,
  /** Retried: the store did not apply the request. */
  NOT_APPLIED,
  /** Retried, but the request may have been applied (a write whose answer was lost). */
  MAYBE_APPLIED;

  /** The longest {@code Retry-After} honoured: a stray header must not park a call for hours. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

  private static final Set<Integer> RETRY_NOT_APPLIED = Set.of(429, 503);
  private static final Set<Integer> RETRY_MAYBE_APPLIED = Set.of(408, 500, 502, 504);

  /** What a failed attempt (an error, or a response) means for retrying it. */
  static S3Retry of(
      S3Request request, S3Transport.@Nullable Response response, @Nullable Throwable error) {
    if (error != null) {
      if (S3Failures.tlsHandshakeFailure(error) != null) {
        return S3Retry.NO; // the request was never sent, and waiting will not mend the handshake
      }
      if (error instanceof ConnectException // an unknown host too, which the JDK wraps in one
          || error instanceof HttpConnectTimeoutException
          || S3Failures.find(error, UnresolvedAddressException.class) != null) {
        return S3Retry.NOT_APPLIED;
      }
      return error instanceof IOException ? S3Retry.MAYBE_APPLIED : S3Retry.NO;
    }
    if (response == null) {
      return S3Retry.NO;
    }
    int status = response.status();
    if (RETRY_NOT_APPLIED.contains(status)) {
      return S3Retry.NOT_APPLIED;
    }
    if (RETRY_MAYBE_APPLIED.contains(status)) {
      return S3Retry.MAYBE_APPLIED;
    }
    if (status == 409 && isConditional(request)) {
      return S3Retry.NOT_APPLIED; // ConditionalRequestConflict: a conflicting write is in flight
    }
    if (status == 400 && "RequestTimeout".equals(S3Xml.parseError(response.body()).code())) {
      return S3Retry.MAYBE_APPLIED;
    }
    return S3Retry.NO;
  }

  private static boolean isConditional(S3Request request) {
    return request.headers.containsKey("If-None-Match") || request.headers.containsKey("If-Match");
  }

  /**
   * The wait before the attempt after {@code attempt}: the jittered backoff, or at least what the
   * store asked for (capped at {@link #MAX_RETRY_AFTER}).
   */
  static long waitMillis(S3Settings settings, int attempt, @Nullable Duration retryAfter) {
    long backoff =
        Backoff.fullJitter(
            settings.retryBaseDelay().toMillis(), settings.retryMaxDelay().toMillis(), attempt);
    if (retryAfter == null) {
      return backoff;
    }
    Duration capped = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    return Math.max(backoff, capped.toMillis());
  }

  /**
   * The wait a response asks for in {@code Retry-After}: delay-seconds, or an HTTP date (counted
   * from the response's {@code Date}, else from now); null when absent or unreadable.
   */
  static @Nullable Duration retryAfter(S3Transport.@Nullable Response response) {
    if (response == null) {
      return null;
    }
    String value = response.header("retry-after");
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.matches("[0-9]{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(trimmed));
    }
    Instant at = HttpDates.parse(trimmed);
    if (at == null) {
      return null;
    }
    Instant date = response.date();
    Duration asked = Duration.between(date != null ? date : Instant.now(), at);
    return asked.isNegative() ? Duration.ZERO : asked;
  }
}
