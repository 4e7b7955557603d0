package io.mps3.internal.s3;

import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.ObjectStoreException.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * The typed failures of S3 calls, with messages that name the call, the endpoint and the cause in
 * words (connection refused, reset, an unknown host, a TLS failure, which timeout ran out after how
 * long), so that a user can tell a wrong endpoint from a slow one or one that is down. Never
 * "null": the JDK leaves many of its network exceptions without a message, so the cause is read
 * from the exception's type and chain. Never a secret, a signature or a header: only the method,
 * the bucket and key, the status, the S3 error code and the request id. Thread-safe.
 */
final class S3Failures {

  private final String endpoint;
  private final String host;

  S3Failures(java.net.URI endpoint) {
    this.endpoint = endpoint.toString();
    this.host = String.valueOf(endpoint.getHost());
  }

  /** The failure of an error response, after {@code attempts} attempts. */
  ObjectStoreException response(S3Request request, S3Transport.Response response, int attempts) {
    return response(request, response, ending(attempts, null, null));
  }

  /**
   * The failure of an error response.
   *
   * @param ending what follows the store's answer: how many attempts, why the retries stopped
   */
  ObjectStoreException response(S3Request request, S3Transport.Response response, String ending) {
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
    message.append(ending).append(hint);
    return new ObjectStoreException(kind, message.toString(), status, code, requestId, null);
  }

  /**
   * The failure of an attempt that got no response.
   *
   * @param ending what follows the cause: how many attempts, why the retries stopped
   */
  ObjectStoreException exchange(S3Request request, Throwable cause, String what, String ending) {
    if (!(cause instanceof IOException) && find(cause, UnresolvedAddressException.class) == null) {
      return failed(request, cause);
    }
    return new ObjectStoreException(Kind.UNAVAILABLE, prefix(request) + what + ending, cause);
  }

  /** The failure of a call ended by something other than the network (a bug, credentials). */
  ObjectStoreException failed(S3Request request, Throwable cause) {
    return new ObjectStoreException(Kind.INTERNAL, prefix(request) + "failed: " + cause, cause);
  }

  /** An error response in a few words, for the message of a later failure: {@code 503 SlowDown}. */
  static String status(S3Transport.Response response) {
    String code = S3Xml.parseError(response.body()).code();
    return response.status() + (code == null ? "" : " " + code);
  }

  /**
   * What went wrong on the wire, in words.
   *
   * @param connectTimeout the connect timeout the attempt had
   * @param attemptTimeout the time the attempt had for its answer
   */
  String cause(Throwable cause, Duration connectTimeout, Duration attemptTimeout) {
    if (cause instanceof HttpConnectTimeoutException) {
      return "could not connect within " + text(connectTimeout) + " (connect timeout)";
    }
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + text(attemptTimeout) + " (request timeout)";
    }
    if (find(cause, UnresolvedAddressException.class) != null
        || find(cause, UnknownHostException.class) != null) {
      return "unknown host " + host + " (its name does not resolve)";
    }
    if (tlsHandshakeFailure(cause) != null) {
      String why =
          find(cause, GeneralSecurityException.class) != null
              ? "the server's certificate is not trusted (" + deepestMessage(cause) + ")"
              : deepestMessage(cause);
      return "TLS handshake failed: " + why + "; check the endpoint's scheme and certificate";
    }
    SocketException socket = find(cause, SocketException.class);
    String socketMessage = socket == null ? null : socket.getMessage();
    if (cause instanceof ConnectException) {
      // A refused connection reaches java.net.http as a ConnectException without a message.
      String message = socketMessage != null ? socketMessage : cause.getMessage();
      return "cannot connect: " + (message != null ? lowerFirst(message) : "connection refused");
    }
    // The JDK reports a reset as a SocketException, or as a plain IOException whose message says
    // so ("Connection reset by peer"), depending on where in the exchange it happens.
    if ((socketMessage != null && socketMessage.contains("reset"))
        || deepestMessage(cause).toLowerCase(Locale.ROOT).contains("connection reset")) {
      return "the connection was reset before the answer came";
    }
    if (find(cause, EOFException.class) != null) {
      return "the server closed the connection before it answered";
    }
    if (find(cause, SSLException.class) != null) {
      return "the TLS connection failed (" + deepestMessage(cause) + ")";
    }
    return "connection failed: " + deepestMessage(cause);
  }

  /**
   * The TLS handshake failure in a chain (an untrusted certificate, no common protocol, a server
   * that speaks no TLS), or null: nothing was sent, unlike a TLS connection lost later.
   */
  static @Nullable SSLException tlsHandshakeFailure(Throwable error) {
    SSLException tls = find(error, SSLException.class);
    if (tls == null || find(error, SocketException.class) != null) {
      return null; // a reset during TLS is a reset
    }
    String message = String.valueOf(tls.getMessage());
    if (message.contains("terminated the handshake")) {
      return null; // the server hung up mid-handshake: busy or restarting, worth another try
    }
    return tls instanceof SSLHandshakeException || message.contains("plaintext connection")
        ? tls
        : null;
  }

  /**
   * The failure of a call that reached its deadline, whatever its attempt was waiting for.
   *
   * @param before how the attempt before the last one failed, or null for the first
   */
  ObjectStoreException deadline(
      S3Request request, Duration callTimeout, int attempts, @Nullable String before) {
    return new ObjectStoreException(
        Kind.UNAVAILABLE,
        prefix(request)
            + "no answer within "
            + text(callTimeout)
            + " (call timeout, retries included)"
            + ending(attempts, null, null)
            + (before == null ? "" : "; the attempt before failed: " + before),
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
      what = "status " + result.response().status() + ending(result.attempts(), null, null);
    } else {
      what = "no response";
    }
    return prefix(request) + what + " in " + millis + " ms";
  }

  /**
   * What follows a call's last failure.
   *
   * @param outOfTime the call timeout, when the retries stopped because the next wait would end
   *     past it; else null
   * @param retryAfter what the store asked to wait, when that wait was what did not fit
   */
  static String ending(int attempts, @Nullable Duration outOfTime, @Nullable Duration retryAfter) {
    String count = attempts > 1 ? ", after " + attempts + " attempts" : "";
    if (outOfTime == null) {
      return count;
    }
    if (retryAfter != null) {
      return count
          + "; the store asked to retry after "
          + text(retryAfter)
          + ", past the "
          + text(outOfTime)
          + " call timeout";
    }
    return count
        + "; no time left for another attempt within the "
        + text(outOfTime)
        + " call timeout";
  }

  /** How a write that may have landed ended when its resend limit had passed. */
  static String resendRefused(int attempts, Duration limit) {
    return ending(attempts, null, null)
        + "; not sent again: it may have landed, and its "
        + text(limit)
        + " resend limit has passed";
  }

  private String prefix(S3Request request) {
    return request.describe() + " at " + endpoint + ": ";
  }

  /** The first exception of {@code type} in a chain of causes, or null. */
  static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /** The message nearest the root of a chain, or the root's type when none has one. */
  private static String deepestMessage(Throwable error) {
    String message = null;
    Throwable root = error;
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      root = t;
      String own = t.getMessage();
      if (own != null && !own.isBlank()) {
        message = own;
      }
    }
    return message != null ? message : root.getClass().getSimpleName();
  }

  private static String lowerFirst(String s) {
    return s.length() > 1 && Character.isLowerCase(s.charAt(1))
        ? s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1)
        : s;
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
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
