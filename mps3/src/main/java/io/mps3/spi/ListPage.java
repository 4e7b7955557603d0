package io.mps3.spi;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, in UTF-8 byte order of the keys.
 *
 * @param objects the keys of this page with their metadata (no version ids)
 * @param nextContinuationToken the token of the next page, or null when this is the last
 * @param serverDate the store's clock when it answered, or null
 * @since 0.1
 */
public record ListPage(
    List<ObjectMetadata> objects,
    @Nullable String nextContinuationToken,
    @Nullable Instant serverDate) {

  /**
   * Copies the list.
   *
   * @param objects the keys of this page with their metadata
   * @param nextContinuationToken the token of the next page, or null when this is the last
   * @param serverDate the store's clock when it answered, or null
   */
  public ListPage {
    objects = List.copyOf(objects);
  }
}
