package io.mps3.internal.manifest;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.spi.ObjectStoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/** The one place where internal failures become the public {@link Mps3Exception}. */
public final class Errors {

  private Errors() {}

  /** The public form of any failure. */
  public static Mps3Exception translate(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof Mps3Exception) {
      return (Mps3Exception) cause;
    }
    if (cause instanceof ObjectStoreException storeFailure) {
      return new Mps3Exception(kindOf(storeFailure), storeFailure.getMessage(), cause);
    }
    if (cause instanceof RejectedExecutionException) {
      // An executor shut down under a call that raced close() (the client's, or its store's)
      return new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", cause);
    }
    // A bad call, or a state the caller can fix (a clock too far off:
    // CausalLog.ClockSkewException).
    if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
      return new Mps3Exception(ErrorKind.INVALID, String.valueOf(cause.getMessage()), cause);
    }
    return new Mps3Exception(ErrorKind.INTERNAL, "unexpected failure: " + cause, cause);
  }

  private static ErrorKind kindOf(ObjectStoreException e) {
    return switch (e.kind()) {
      case UNAVAILABLE -> ErrorKind.UNAVAILABLE;
      case CORRUPT_RESPONSE -> ErrorKind.CORRUPT;
      case CLOSED -> ErrorKind.CLOSED;
      case INTERNAL -> ErrorKind.INTERNAL;
      default -> ErrorKind.INVALID; // access denied, no such bucket, invalid request, unsupported
    };
  }
}
