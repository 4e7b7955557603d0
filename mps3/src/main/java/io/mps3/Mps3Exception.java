package io.mps3;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception MPS3 throws for anything but programmer errors; {@link #kind()} says what to do
 * about it. Messages name the store and the object, never a secret.
 *
 * @since 0.1
 */
public final class Mps3Exception extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, and so what the caller may do about it. */
  private final ErrorKind kind;

  /**
   * An exception of a kind.
   *
   * @param kind what went wrong, and so what the caller may do about it
   * @param message what failed, naming the store and the object; never a secret; not null
   * @param cause the underlying failure, or null
   */
  public Mps3Exception(ErrorKind kind, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = kind;
  }

  /** {@return the message given at construction: never null, unlike Throwable's} */
  @Override
  public String getMessage() {
    return String.valueOf(super.getMessage());
  }

  /** {@return what went wrong} */
  public ErrorKind kind() {
    return kind;
  }

  /**
   * {@return whether the same call may succeed if tried again later: true for {@link
   * ErrorKind#UNAVAILABLE} and {@link ErrorKind#CONFLICT}}
   */
  public boolean isRetryable() {
    return kind == ErrorKind.UNAVAILABLE || kind == ErrorKind.CONFLICT;
  }
}
