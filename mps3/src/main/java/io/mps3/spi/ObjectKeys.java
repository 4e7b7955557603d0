package io.mps3.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The rules for bucket names and object keys that every store enforces before any request, so a bad
 * name fails the same way, with a message that names its problem, on every store.
 *
 * <p>Keys are 1 to 1024 bytes of UTF-8; any character may appear (spaces, {@code &$@=;:+,?}, {@code
 * \{^}%]">[~#|}, control characters, non-ASCII). A string with an unpaired surrogate is no valid
 * key: it has no UTF-8 form. Bucket names follow S3's rules: 3 to 63 characters of lowercase
 * letters, digits, dots and hyphens, beginning and ending with a letter or digit.
 *
 * @since 0.1
 */
public final class ObjectKeys {

  /** The longest key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {}

  /**
   * Checks an object key.
   *
   * @param key the key to check; not null
   * @return the key
   * @throws IllegalArgumentException naming the problem, when the key is empty, too long, or not
   *     encodable as UTF-8
   */
  public static String requireValidKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid object key: it is empty (keys are 1..1024 bytes)");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < key.length()
          && Character.isLowSurrogate(key.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "invalid object key "
                + excerpt(key)
                + ": unpaired surrogate at index "
                + i
                + ", not encodable as UTF-8");
      }
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "invalid object key "
              + excerpt(key)
              + ": "
              + bytes
              + " UTF-8 bytes, at most "
              + MAX_KEY_BYTES
              + " allowed");
    }
    return key;
  }

  /**
   * Checks a bucket name.
   *
   * @param bucket the name to check; not null
   * @return the name
   * @throws IllegalArgumentException naming the problem
   */
  public static String requireValidBucket(String bucket) {
    Objects.requireNonNull(bucket, "bucket");
    String problem = bucketProblem(bucket);
    if (problem != null) {
      throw new IllegalArgumentException("invalid bucket name " + excerpt(bucket) + ": " + problem);
    }
    return bucket;
  }

  private static @org.jspecify.annotations.Nullable String bucketProblem(String bucket) {
    if (bucket.length() < 3 || bucket.length() > 63) {
      return "bucket names are 3..63 characters, this one has " + bucket.length();
    }
    for (int i = 0; i < bucket.length(); i++) {
      char c = bucket.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      if (!ok) {
        return "character '" + c + "' at index " + i + " (allowed: a-z 0-9 . -)";
      }
    }
    if (!Character.isLetterOrDigit(bucket.charAt(0))
        || !Character.isLetterOrDigit(bucket.charAt(bucket.length() - 1))) {
      return "it must begin and end with a letter or digit";
    }
    if (bucket.contains("..")) {
      return "it must not contain two dots in a row";
    }
    return null;
  }

  /** A short, printable rendering of a name for error messages. */
  static String excerpt(String name) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(name.length(), 40);
    for (int i = 0; i < limit; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (name.length() > limit) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
