package io.mps3.spi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a store knows of one object.
 *
 * @param key the object's key
 * @param etag the ETag, unquoted
 * @param lastModified when the store wrote it. Listings carry the precision the store keeps
 *     (S3Proxy: whole seconds; AWS S3, S3Mock, the built-in stores: milliseconds); a get or head of
 *     an S3 store has whole seconds, the precision of the HTTP {@code Last-Modified} header
 * @param size the body's length in bytes
 * @param versionId the version id in a versioned bucket, else null (listings never carry one)
 * @since 0.1
 */
public record ObjectMetadata(
    String key, String etag, Instant lastModified, long size, @Nullable String versionId) {}
