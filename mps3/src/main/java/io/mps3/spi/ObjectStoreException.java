package io.mps3.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A real failure of a store: the store could not be reached, refused the request, or answered
 * something that cannot be read. Expected outcomes (not found, not modified, precondition failed)
 * are never exceptions.
 *
 * <p>Messages name the store's endpoint and, when the store gave them, the HTTP status, the S3
 * error code and the request id. They never contain a secret.
 *
 * @since 0.1
 */
public final class ObjectStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, in the few kinds a caller acts on differently. */
  public enum Kind {
    /** The store could not be reached, timed out, or is overloaded (5xx, 429): retry later. */
    UNAVAILABLE,
    /** The credentials were refused (403, 401): wrong key, wrong secret, or no permission. */
    ACCESS_DENIED,
    /** The bucket does not exist. */
    NO_SUCH_BUCKET,
    /** The store rejected the request as malformed (400 and other 4xx). */
    INVALID_REQUEST,
    /** The store does not implement what was asked (501, versioning off, ...). */
    UNSUPPORTED,
    /** The store answered something that cannot be read (malformed XML, missing headers). */
    CORRUPT_RESPONSE,
    /** The store was closed. */
    CLOSED,
    /** A bug or an unexpected local failure (an I/O error of the local directory store, ...). */
    INTERNAL
  }

  /** What went wrong. */
  private final Kind kind;

  /** The HTTP status of the store's answer, or 0 when there was no answer. */
  private final int httpStatus;

  /** The S3 error code the store gave ({@code NoSuchBucket}, ...), or null. */
  private final @Nullable String errorCode;

  /** The store's id of the failed request, for its operator, or null. */
  private final @Nullable String requestId;

  /**
   * A failure with no HTTP response behind it.
   *
   * @param kind what went wrong
   * @param message what failed, naming the store and the object; never a secret
   * @param cause the underlying failure, or null
   */
  public ObjectStoreException(Kind kind, String message, @Nullable Throwable cause) {
    this(kind, message, 0, null, null, cause);
  }

  /**
   * A failure answered by an HTTP store.
   *
   * @param kind what went wrong
   * @param message what failed, naming the store and the object; never a secret
   * @param httpStatus the response status, or 0 when there was no response
   * @param errorCode the S3 error code ({@code NoSuchBucket}, ...), or null
   * @param requestId the store's request id, or null
   * @param cause the underlying failure, or null
   */
  public ObjectStoreException(
      Kind kind,
      String message,
      int httpStatus,
      @Nullable String errorCode,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.requestId = requestId;
  }

  /** {@return the message given at construction: never null, unlike Throwable's} */
  @Override
  public String getMessage() {
    return String.valueOf(super.getMessage());
  }

  /** {@return what went wrong} */
  public Kind kind() {
    return kind;
  }

  /** {@return the HTTP status of the failed response, or 0 when there was none} */
  public int httpStatus() {
    return httpStatus;
  }

  /** {@return the S3 error code ({@code NoSuchBucket}, ...), or null} */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** {@return the store's request id, or null} */
  public @Nullable String requestId() {
    return requestId;
  }

  /** {@return whether the same request may succeed if tried again later} */
  public boolean isRetryable() {
    return kind == Kind.UNAVAILABLE;
  }
}
