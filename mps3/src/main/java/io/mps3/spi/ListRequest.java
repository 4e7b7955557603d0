package io.mps3.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link ObjectStore#list listing}: keys that start with {@code prefix}, strictly
 * after {@code startAfter}, at most {@code maxKeys} of them, continuing a previous page when a
 * token is given.
 *
 * @since 0.1
 */
public record ListRequest(
    String prefix, @Nullable String startAfter, int maxKeys, @Nullable String continuationToken) {

  /** The most keys one page holds, as in S3. */
  public static final int MAX_KEYS = 1000;

  /** Validates the page size. */
  public ListRequest {
    Objects.requireNonNull(prefix, "prefix");
    if (maxKeys < 1 || maxKeys > MAX_KEYS) {
      throw new IllegalArgumentException("maxKeys must be 1.." + MAX_KEYS + ", was " + maxKeys);
    }
  }

  /** A listing of every key with this prefix ({@code ""} for all), 1000 a page. */
  public static ListRequest prefix(String prefix) {
    return new ListRequest(prefix, null, MAX_KEYS, null);
  }

  /** The same request, starting after {@code key}. */
  public ListRequest withStartAfter(@Nullable String key) {
    return new ListRequest(prefix, key, maxKeys, continuationToken);
  }

  /** The same request, with another page size. */
  public ListRequest withMaxKeys(int max) {
    return new ListRequest(prefix, startAfter, max, continuationToken);
  }

  /** The next page of the same request. */
  public ListRequest withContinuationToken(@Nullable String token) {
    return new ListRequest(prefix, startAfter, maxKeys, token);
  }
}
