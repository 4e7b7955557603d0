package io.mps3.internal.causal;

import io.mps3.internal.bucket.Parsed;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The object-key layout of the causal protocol (PROTOCOL.md part A), and the only place that builds
 * or reads such keys.
 *
 * <ul>
 *   <li>content of DB key {@code K}, version {@code V}: {@code K@V} (unversioned buckets) or {@code
 *       K} itself (versioned buckets);
 *   <li>log entry of manifest {@code M}: {@code M@<T>_<S>_<C>}, {@code T} = 9 base-32 digits of
 *       {@code 2^42 - 1 - t}, {@code S} = writer session, {@code C} = 2 base-32 digits of {@code
 *       1023 - n};
 *   <li>change marker of manifest {@code M}: {@code M} itself;
 *   <li>file URL of DB key {@code K} in bucket {@code B}: {@code B/K}.
 * </ul>
 */
public final class CausalLayout {

  /** Times are encoded as {@code LIMIT - t}, so later entries list first. */
  static final long TIME_LIMIT = (1L << 42) - 1;

  private static final Pattern ENTRY = Pattern.compile("([0-9a-z]{1,9})_([0-9a-z]+)_([0-9a-z]{2})");

  /** A valid log entry key, decoded. */
  public record EntryKey(String objectKey, long time, String session, String counter) {}

  private final String manifestKey;
  private final String entryPrefix;

  /** The layout of one manifest. */
  public CausalLayout(String manifestKey) {
    this.manifestKey = manifestKey;
    this.entryPrefix = manifestKey + "@";
  }

  /** The manifest's key (also its change marker's). */
  public String manifestKey() {
    return manifestKey;
  }

  /** The change marker's key: the manifest's own name. */
  public String markerKey() {
    return manifestKey;
  }

  /** The prefix every entry key of this manifest starts with. */
  public String entryPrefix() {
    return entryPrefix;
  }

  /** The key of an entry written at {@code time} by {@code session}, its {@code n}-th write. */
  public String entryKey(long time, String session, long n) {
    return entryPrefix + encodeTime(time) + "_" + session + "_" + encodeCounter(n);
  }

  /** The start-after key that lists the entries older than {@code time}, newest first. */
  public String startAfter(long time) {
    return entryPrefix + encodeTime(time);
  }

  /**
   * Decodes a listed key; invalid when it is not a valid entry of this manifest (a user's object
   * named like the manifest, or anything else under the prefix), which must then be ignored.
   *
   * <p>The key pattern is the JavaScript client's ({@code [0-9a-z]}), but time digits are base 32
   * ({@code 0-9a-v}): a name such as {@code M@2bmrrbt9z_s_vv} matches the pattern and is no time
   * (issue #16). The JavaScript client's {@code parseInt} stops at the {@code z} and reads a time
   * decades ahead, which its skew check then drops: skipping it gives the same state.
   */
  public Parsed<EntryKey> parseEntryKey(String objectKey) {
    if (!objectKey.startsWith(entryPrefix)) {
      return Parsed.invalid(objectKey, "not under " + entryPrefix);
    }
    Matcher m = ENTRY.matcher(objectKey.substring(entryPrefix.length()));
    if (!m.matches()) {
      return Parsed.invalid(objectKey, "not a log entry name (<time>_<session>_<counter>)");
    }
    String digits = m.group(1);
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 32) < 0) {
        return Parsed.invalid(
            objectKey, "time digit '" + digits.charAt(i) + "' is not base 32 (0-9a-v)");
      }
    }
    long encoded = Long.parseLong(digits, 32); // at most 9 base-32 digits: 45 bits, cannot fail
    if (encoded > TIME_LIMIT) {
      return Parsed.invalid(objectKey, "time digits beyond 2^42 - 1");
    }
    return Parsed.valid(new EntryKey(objectKey, TIME_LIMIT - encoded, m.group(2), m.group(3)));
  }

  /**
   * The manifest whose log entry {@code objectKey} is, or null when it is no valid entry key of any
   * manifest: what a gateway asks of a key it sees written. The manifest's key is everything before
   * the last {@code @}, since an entry's suffix holds none.
   */
  public static @Nullable String manifestOfEntry(String objectKey) {
    int at = objectKey.lastIndexOf('@');
    if (at <= 0) {
      return null;
    }
    String manifest = objectKey.substring(0, at);
    return new CausalLayout(manifest).parseEntryKey(objectKey) instanceof Parsed.Valid<EntryKey>
        ? manifest
        : null;
  }

  /**
   * Why a DB key may not be written while this manifest exists in its bucket, or null (design
   * 0007). A key equal to the manifest's name, or starting with that name and {@code @}, has its
   * content objects ({@code K@<uuid>}) under the entry prefix, where the JavaScript client's
   * cleanup takes them for log entries and deletes them; in versioned mode the key itself is
   * written, which overwrites the change marker or adds an object under the entry prefix.
   */
  public @Nullable String reservedReason(String dbKey) {
    if (dbKey.equals(manifestKey)) {
      return "it is the manifest's own name (its change marker), and its content objects "
          + entryPrefix
          + "<uuid> lie under the manifest's log prefix, where the JavaScript client's cleanup"
          + " takes them for log entries and deletes them";
    }
    if (dbKey.startsWith(entryPrefix)) {
      return "it starts with the manifest's log prefix "
          + entryPrefix
          + ", so its content objects lie among the log entries, where the JavaScript client's"
          + " cleanup takes them for log entries and deletes them";
    }
    return null;
  }

  /** The object holding version {@code version} of a DB key in an unversioned bucket. */
  public static String contentKey(String dbKey, String version) {
    return dbKey + "@" + version;
  }

  /** The file URL of a DB key: {@code <bucket>/<key>}. */
  public static String fileUrl(String bucket, String dbKey) {
    return bucket + "/" + dbKey;
  }

  /** The DB key of a file URL in {@code bucket}, or null when the URL names another bucket. */
  public static @Nullable String dbKey(String bucket, String fileUrl) {
    return fileUrl.startsWith(bucket + "/") ? fileUrl.substring(bucket.length() + 1) : null;
  }

  /** {@code 2^42 - 1 - t} in 9 lowercase base-32 digits. */
  static String encodeTime(long time) {
    if (time < 0 || time > TIME_LIMIT) {
      throw new IllegalArgumentException("time out of range: " + time);
    }
    return pad(Long.toString(TIME_LIMIT - time, 32), 9);
  }

  /** {@code 1023 - (n mod 1024)} in 2 base-32 digits. */
  static String encodeCounter(long n) {
    return pad(Long.toString(1023 - Math.floorMod(n, 1024L), 32), 2);
  }

  private static String pad(String digits, int width) {
    StringBuilder out = new StringBuilder(width);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits.toLowerCase(Locale.ROOT)).toString();
  }
}
