package io.mps3.internal.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether an attempt of an S3 call is retried, and whether it may have been applied: connection
 * failures before sending are safe to retry, a lost answer may hide an applied write (a conditional
 * write is then settled by reading it back), throttling and unavailability are retried, other
 * answers stand.
 */
enum S3Retry {
  /** Not to be retried: the answer stands. */
  NO,
  /** Retried: the store did not apply the request. */
  NOT_APPLIED,
  /** Retried, but the request may have been applied (a write whose answer was lost). */
  MAYBE_APPLIED;

  private static final Set<Integer> RETRY_NOT_APPLIED = Set.of(429, 503);
  private static final Set<Integer> RETRY_MAYBE_APPLIED = Set.of(408, 500, 502, 504);

  /** What a failed attempt (an error, or a response) means for retrying it. */
  static S3Retry of(
      S3Request request, S3Transport.@Nullable Response response, @Nullable Throwable error) {
    if (error != null) {
      if (error instanceof ConnectException
          || error instanceof HttpConnectTimeoutException
          || error instanceof UnresolvedAddressException) {
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
}
