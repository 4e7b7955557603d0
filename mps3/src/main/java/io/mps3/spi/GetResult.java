package io.mps3.spi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ObjectStore#get read} found. Each case carries the store's clock ({@code Date}
 * header) when the store sends one.
 *
 * @since 0.1
 */
public sealed interface GetResult {

  /** {@return the store's clock when it answered, or null when it sends none} */
  @Nullable Instant serverDate();

  /** The object, with its body. */
  record Found(StoredObject object, @Nullable Instant serverDate) implements GetResult {}

  /** No such object (or no such version). */
  record NotFound(@Nullable Instant serverDate) implements GetResult {}

  /** The ETag given in {@link GetOptions#ifNoneMatch()} is still current. */
  record NotModified(@Nullable Instant serverDate) implements GetResult {}
}
