package io.mps3;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options of a read: which manifest to read (default: the client's).
 *
 * @since 0.1
 */
public final class ReadOptions {

  private static final ReadOptions DEFAULTS = new ReadOptions(null);

  private final @Nullable String manifest;

  private ReadOptions(@Nullable String manifest) {
    this.manifest = manifest;
  }

  /** {@return the client's defaults: its default manifest} */
  public static ReadOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Reads the manifest with this key (in the client's bucket).
   *
   * @param manifestKey the manifest's object key, such as {@code manifest.json}; not null
   * @return options that read that manifest
   */
  public static ReadOptions manifest(String manifestKey) {
    return new ReadOptions(Objects.requireNonNull(manifestKey, "manifestKey"));
  }

  /** {@return the manifest to read, or null for the client's default} */
  public @Nullable String manifestKey() {
    return manifest;
  }
}
