package io.mps3.spi;

/**
 * An object read from a store: its metadata and its body. The body array is not copied; callers
 * must not modify it.
 *
 * @since 0.1
 */
public record StoredObject(ObjectMetadata metadata, byte[] body) {}
