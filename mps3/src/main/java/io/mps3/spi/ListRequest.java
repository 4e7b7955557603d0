package io.mps3.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link ObjectStore#list listing}: keys that start with {@code prefix}, strictly
 * after {@code startAfter}, at most {@code maxKeys} of them, continuing a previous page when a
 * token is given.
 *
 * @param prefix the start every key listed has; {@code ""} for all
 * @param startAfter list only keys strictly after this one, or null
 * @param maxKeys the most keys of the page, 1 to {@link #MAX_KEYS}
 * @param continuationToken the {@link ListPage#nextContinuationToken()} of the previous page, or
 *     null for the first
 * @since 0.1
 */
public record ListRequest(
    String prefix, @Nullable String startAfter, int maxKeys, @Nullable String continuationToken) {

  /** The most keys one page holds, as in S3. */
  public static final int MAX_KEYS = 1000;

  /**
   * Validates the page size.
   *
   * @param prefix the start every key listed has; not null
   * @param startAfter list only keys strictly after this one, or null
   * @param maxKeys the most keys of the page, 1 to {@link #MAX_KEYS}
   * @param continuationToken the previous page's token, or null for the first
   * @throws IllegalArgumentException when {@code maxKeys} is out of range
   */
  public ListRequest {
    Objects.requireNonNull(prefix, "prefix");
    if (maxKeys < 1 || maxKeys > MAX_KEYS) {
      throw new IllegalArgumentException("maxKeys must be 1.." + MAX_KEYS + ", was " + maxKeys);
    }
  }

  /**
   * A listing of every key with this prefix, 1000 a page.
   *
   * @param prefix the start every key listed has; {@code ""} for all
   * @return the request of the first page
   */
  public static ListRequest prefix(String prefix) {
    return new ListRequest(prefix, null, MAX_KEYS, null);
  }

  /**
   * The same request, starting after {@code key}.
   *
   * @param key list only keys strictly after this one, or null to start at the beginning
   * @return a new request
   */
  public ListRequest withStartAfter(@Nullable String key) {
    return new ListRequest(prefix, key, maxKeys, continuationToken);
  }

  /**
   * The same request, with another page size.
   *
   * @param max the most keys of a page, 1 to {@link #MAX_KEYS}
   * @return a new request
   * @throws IllegalArgumentException when {@code max} is out of range
   */
  public ListRequest withMaxKeys(int max) {
    return new ListRequest(prefix, startAfter, max, continuationToken);
  }

  /**
   * The next page of the same request.
   *
   * @param token the previous page's {@link ListPage#nextContinuationToken()}, or null for the
   *     first
   * @return a new request
   */
  public ListRequest withContinuationToken(@Nullable String token) {
    return new ListRequest(prefix, startAfter, maxKeys, token);
  }
}
