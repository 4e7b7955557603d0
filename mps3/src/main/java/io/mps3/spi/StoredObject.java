package io.mps3.spi;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An object read from a store: its metadata and its body. The body array is not copied; callers
 * must not modify it. Two stored objects are equal when their metadata are equal and their bodies
 * hold the same bytes.
 *
 * @param metadata what the store knows of the object
 * @param body the object's bytes
 * @since 0.1
 */
// An array component is safe here: equals, hashCode and toString below use the body's contents.
@SuppressWarnings("ArrayRecordComponent")
public record StoredObject(ObjectMetadata metadata, byte[] body) {

  /** Equal metadata and the same bytes. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof StoredObject that
        && metadata.equals(that.metadata)
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return 31 * metadata.hashCode() + Arrays.hashCode(body);
  }

  /** The metadata and the body's length; never the body, which may be private. */
  @Override
  public String toString() {
    return "StoredObject[metadata=" + metadata + ", body=" + body.length + " bytes]";
  }
}
