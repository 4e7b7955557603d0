package io.mps3.spi;

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
 * @since 0.1
 */
public record PutOptions(boolean requireAbsent, @Nullable String ifMatch, String contentType) {

  /** The content type of MPS3 values. */
  public static final String JSON = "application/json";

  /** The content type of opaque bytes, the default. */
  public static final String OCTET_STREAM = "application/octet-stream";

  private static final PutOptions UNCONDITIONAL = new PutOptions(false, null, OCTET_STREAM);

  /**
   * Checks that at most one precondition is set.
   *
   * @param requireAbsent write only if no object has the key
   * @param ifMatch write only if the current ETag is this one (unquoted), or null
   * @param contentType the {@code Content-Type} to store; not null
   * @throws IllegalArgumentException when both preconditions are set
   */
  public PutOptions {
    Objects.requireNonNull(contentType, "contentType");
    if (requireAbsent && ifMatch != null) {
      throw new IllegalArgumentException("a put takes ifAbsent or ifMatch, not both");
    }
  }

  /** {@return options that write whatever is there, as opaque bytes} */
  public static PutOptions unconditional() {
    return UNCONDITIONAL;
  }

  /** {@return options that write only if no object has the key ({@code If-None-Match: *})} */
  public static PutOptions ifAbsent() {
    return new PutOptions(true, null, OCTET_STREAM);
  }

  /**
   * Writes only if the current ETag is {@code etag} ({@code If-Match}).
   *
   * @param etag the ETag of the version to replace, unquoted; not null
   * @return the options of a conditional write of opaque bytes
   */
  public static PutOptions ifMatch(String etag) {
    return new PutOptions(false, Objects.requireNonNull(etag, "etag"), OCTET_STREAM);
  }

  /**
   * The same options with another content type.
   *
   * @param type the {@code Content-Type} to store, such as {@link #JSON}; not null
   * @return new options
   */
  public PutOptions withContentType(String type) {
    return new PutOptions(requireAbsent, ifMatch, type);
  }

  /** {@return whether the write has a precondition} */
  public boolean conditional() {
    return requireAbsent || ifMatch != null;
  }
}
