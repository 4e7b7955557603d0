package io.mps3.internal.manifest;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Carries an exception thrown by a caller's transaction body through the client's futures, so that
 * it reaches the caller unchanged instead of being translated into an {@code Mps3Exception}.
 */
public final class BodyFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BodyFailure(RuntimeException thrownByBody) {
    super(thrownByBody.getMessage(), thrownByBody, false, false);
  }

  /** The body's own exception when {@code failure} carries one, else null. */
  public static @Nullable Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof BodyFailure ? cause.getCause() : null;
  }
}
