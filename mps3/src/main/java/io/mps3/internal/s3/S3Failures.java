package io.mps3.internal.s3;

import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.ObjectStoreException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The typed failures of S3 calls, with messages that name the call, the endpoint and, for a
 * timeout, which one ran out and after how long, so that a user can tell a wrong endpoint from a
 * slow one. Never a secret, a signature or a header: only the method, the bucket and key, the
 * status, the S3 error code and the request id. Thread-safe.
 */
final class S3Failures {

  private final String endpoint;

  S3Failures(String endpoint) {
    this.endpoint = endpoint;
  }

  /** The failure of an error response. */
  ObjectStoreException response(S3Request request, S3Transport.Response response, int attempts) {
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
    String requestId =
        error.requestId() != null ? error.requestId() : response.header("x-amz-request-id");
    StringBuilder message = new StringBuilder(prefix(request)).append(status);
    if (code != null) {
      message.append(' ').append(code);
    }
    if (error.message() != null) {
      message.append(": ").append(error.message());
    }
    if (requestId != null) {
      message.append(" (request id ").append(requestId).append(')');
    }
    message.append(attempts(attempts)).append(hint);
    return new ObjectStoreException(kind, message.toString(), status, code, requestId, null);
  }

  /**
   * The failure of an attempt that got no response.
   *
   * @param connectTimeout the connect timeout the attempt had
   * @param attemptTimeout the time the attempt had for its answer
   */
  ObjectStoreException exchange(
      S3Request request,
      Throwable cause,
      int attempts,
      Duration connectTimeout,
      Duration attemptTimeout) {
    String what;
    if (cause instanceof HttpConnectTimeoutException) {
      what = "could not connect within " + text(connectTimeout) + " (connect timeout)";
    } else if (cause instanceof HttpTimeoutException) {
      what = "no answer within " + text(attemptTimeout) + " (request timeout)";
    } else if (cause instanceof ConnectException) {
      what = "cannot connect (" + (cause.getMessage() == null ? cause : cause.getMessage()) + ")";
    } else if (cause instanceof UnresolvedAddressException) {
      what = "unknown host";
    } else if (cause instanceof IOException) {
      what = "connection failed: " + cause;
    } else {
      return new ObjectStoreException(
          Kind.INTERNAL, request.describe() + " at " + endpoint + " failed: " + cause, cause);
    }
    return new ObjectStoreException(
        Kind.UNAVAILABLE, prefix(request) + what + attempts(attempts), cause);
  }

  /** The failure of a call that reached its deadline, whatever its attempt was waiting for. */
  ObjectStoreException deadline(S3Request request, Duration callTimeout, int attempts) {
    return new ObjectStoreException(
        Kind.UNAVAILABLE,
        prefix(request)
            + "no answer within "
            + text(callTimeout)
            + " (call timeout, retries included)"
            + attempts(attempts),
        null);
  }

  /** One line on a call's end, for the debug log: never a header, a body or a signature. */
  String outcome(S3Request request, S3Transport.@Nullable Result result, long startedNanos) {
    long millis = (System.nanoTime() - startedNanos) / 1_000_000;
    String what;
    if (result == null) {
      what = "no result";
    } else if (result.failure() != null) {
      what = "failed: " + result.failure().getMessage();
    } else if (result.response() != null) {
      what = "status " + result.response().status() + attempts(result.attempts());
    } else {
      what = "no response";
    }
    return prefix(request) + what + " in " + millis + " ms";
  }

  private String prefix(S3Request request) {
    return request.describe() + " at " + endpoint + ": ";
  }

  private static String attempts(int attempts) {
    return attempts > 1 ? ", after " + attempts + " attempts" : "";
  }

  /** A duration as a person writes it: {@code 500 ms}, {@code 2 s}, {@code 1.5 s}. */
  static String text(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
