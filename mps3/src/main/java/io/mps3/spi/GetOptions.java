package io.mps3.spi;

import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link ObjectStore#get read}: a version to read, and an ETag that makes the read
 * answer {@link GetResult.NotModified} when it is still current.
 *
 * @param ifNoneMatch the ETag the caller holds (unquoted), or null
 * @param versionId the version to read, or null for the latest
 * @since 0.1
 */
public record GetOptions(@Nullable String ifNoneMatch, @Nullable String versionId) {

  private static final GetOptions LATEST = new GetOptions(null, null);

  /** {@return options that read the latest version, unconditionally} */
  public static GetOptions latest() {
    return LATEST;
  }

  /**
   * Reads the latest version unless its ETag is still {@code etag}.
   *
   * @param etag the ETag the caller holds, unquoted
   * @return the options of a conditional read
   */
  public static GetOptions ifNoneMatch(String etag) {
    return new GetOptions(etag, null);
  }

  /**
   * Reads one version of a versioned object.
   *
   * @param versionId the version id the store gave, from {@link ObjectMetadata#versionId()}
   * @return the options of a read of that version
   */
  public static GetOptions version(String versionId) {
    return new GetOptions(null, versionId);
  }
}
