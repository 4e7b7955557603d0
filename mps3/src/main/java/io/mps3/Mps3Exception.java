package io.mps3;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
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

  /** Not serialized: it lives with the client that will complete it. */
  private final transient @Nullable CompletionStage<Boolean> laterOutcome;

  /**
   * An exception of a kind.
   *
   * @param kind what went wrong, and so what the caller may do about it
   * @param message what failed, naming the store and the object; never a secret; not null
   * @param cause the underlying failure, or null
   */
  public Mps3Exception(ErrorKind kind, String message, @Nullable Throwable cause) {
    this(kind, message, cause, null);
  }

  /**
   * An exception of a kind whose outcome the client learns later ({@link #laterOutcome()}).
   *
   * @param kind what went wrong, and so what the caller may do about it
   * @param message what failed, naming the store and the object; never a secret; not null
   * @param cause the underlying failure, or null
   * @param laterOutcome completes with whether the write landed once the client learns it, or null
   */
  public Mps3Exception(
      ErrorKind kind,
      String message,
      @Nullable Throwable cause,
      @Nullable CompletionStage<Boolean> laterOutcome) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = kind;
    this.laterOutcome = laterOutcome;
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
   * What became of a write reported {@link ErrorKind#OUTCOME_UNKNOWN}, once the client learns it: a
   * strict write whose create lost its answer is settled by this client's next read of its slot (a
   * get, a subscription's poll, the next write), and the stage then completes with {@code true} (it
   * landed: readers see it as any write) or {@code false} (another write took its place; it never
   * will land). It fails with an {@code Mps3Exception} when the client cannot learn it any more (it
   * closed first, or the slot was cleaned up unread); reading the written keys then tells.
   *
   * @return the stage, for a strict write whose outcome is unknown; empty for any other failure
   */
  public Optional<CompletionStage<Boolean>> laterOutcome() {
    return Optional.ofNullable(laterOutcome);
  }

  /**
   * {@return whether the same call may succeed if tried again later: true for {@link
   * ErrorKind#UNAVAILABLE} and {@link ErrorKind#CONFLICT}}
   */
  public boolean isRetryable() {
    return kind == ErrorKind.UNAVAILABLE || kind == ErrorKind.CONFLICT;
  }
}
