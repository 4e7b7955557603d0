package io.mps3.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link ObjectStore#put write}: its precondition and content type.
 *
 * <p>Preconditions: {@link #ifAbsent()} is S3's {@code If-None-Match: *} (create only), {@link
 * #ifMatch(String)} is {@code If-Match: <etag>} (replace only that version). Whether a store
 * applies them atomically under concurrent writers is what {@link io.mps3.store.StoreProbe} checks;
 * the built-in local and in-memory stores do.
 *
 * @param requireAbsent write only if no object has the key
 * @param ifMatch write only if the current ETag is this one (unquoted), or null
 * @param contentType the {@code Content-Type} to store
 * @param resendWithin how long after a write starts a store that retries may send it again once an
 *     attempt may have been applied (its answer was lost), or null for as long as the call's
 *     deadline allows; see {@link #withResendWithin(Duration)}
 * @since 0.1
 */
public record PutOptions(
    boolean requireAbsent,
    @Nullable String ifMatch,
    String contentType,
    @Nullable Duration resendWithin) {

  /** The content type of MPS3 values. */
  public static final String JSON = "application/json";

  /** The content type of opaque bytes, the default. */
  public static final String OCTET_STREAM = "application/octet-stream";

  private static final PutOptions UNCONDITIONAL = new PutOptions(false, null, OCTET_STREAM, null);

  /**
   * Checks that at most one precondition is set.
   *
   * @param requireAbsent write only if no object has the key
   * @param ifMatch write only if the current ETag is this one (unquoted), or null
   * @param contentType the {@code Content-Type} to store; not null
   * @param resendWithin how long a resend of a write that may have been applied is allowed, or null
   *     for no limit but the call's deadline; not negative
   * @throws IllegalArgumentException when both preconditions are set, or the limit is negative
   */
  public PutOptions {
    Objects.requireNonNull(contentType, "contentType");
    if (requireAbsent && ifMatch != null) {
      throw new IllegalArgumentException("a put takes ifAbsent or ifMatch, not both");
    }
    if (resendWithin != null && resendWithin.isNegative()) {
      throw new IllegalArgumentException("resendWithin must not be negative, was " + resendWithin);
    }
  }

  /**
   * Options without a limit on resends.
   *
   * @param requireAbsent write only if no object has the key
   * @param ifMatch write only if the current ETag is this one (unquoted), or null
   * @param contentType the {@code Content-Type} to store; not null
   * @throws IllegalArgumentException when both preconditions are set
   */
  public PutOptions(boolean requireAbsent, @Nullable String ifMatch, String contentType) {
    this(requireAbsent, ifMatch, contentType, null);
  }

  /** {@return options that write whatever is there, as opaque bytes} */
  public static PutOptions unconditional() {
    return UNCONDITIONAL;
  }

  /** {@return options that write only if no object has the key ({@code If-None-Match: *})} */
  public static PutOptions ifAbsent() {
    return new PutOptions(true, null, OCTET_STREAM, null);
  }

  /**
   * Writes only if the current ETag is {@code etag} ({@code If-Match}).
   *
   * @param etag the ETag of the version to replace, unquoted; not null
   * @return the options of a conditional write of opaque bytes
   */
  public static PutOptions ifMatch(String etag) {
    return new PutOptions(false, Objects.requireNonNull(etag, "etag"), OCTET_STREAM, null);
  }

  /**
   * The same options with another content type.
   *
   * @param type the {@code Content-Type} to store, such as {@link #JSON}; not null
   * @return new options
   */
  public PutOptions withContentType(String type) {
    return new PutOptions(requireAbsent, ifMatch, type, resendWithin);
  }

  /**
   * The same options, with resends of a write that may have been applied (an attempt whose answer
   * was lost) allowed only within {@code limit} of the write's start; past it the write fails as
   * {@link ObjectStoreException.Kind#UNAVAILABLE} instead. For an object whose meaning depends on
   * when it was written, such as a causal log entry (its key holds its time, and readers drop an
   * entry whose LastModified is 5 s or more away from it): a late resend would rewrite an entry
   * that readers already use into one they drop. Stores that do not retry ignore it.
   *
   * @param limit how long after the start a resend may still be sent; not null, not negative
   * @return new options
   */
  public PutOptions withResendWithin(Duration limit) {
    return new PutOptions(
        requireAbsent, ifMatch, contentType, Objects.requireNonNull(limit, "limit"));
  }

  /** {@return whether the write has a precondition} */
  public boolean conditional() {
    return requireAbsent || ifMatch != null;
  }
}
