package io.mps3.internal.feed;

import io.mps3.internal.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The names of change markers (design 0017): {@code .mps3/changes/<epoch ms, 13 digits>-<first 16
 * hex of the SHA-256 of the manifest key>-<slot, 20 digits>}, empty objects. Names sort by time, so
 * a listing that starts after a time returns only markers written since.
 */
public final class ChangeMarkers {

  /** The prefix of every marker. */
  public static final String PREFIX = ".mps3/changes/";

  private static final int TIME_DIGITS = 13;
  private static final int ID_CHARS = 16;
  private static final int SLOT_DIGITS = 20;
  private static final int LENGTH = TIME_DIGITS + 1 + ID_CHARS + 1 + SLOT_DIGITS;

  private ChangeMarkers() {}

  /** A marker, as read from its name. */
  public record Marker(long millis, String manifestId, long slot) {}

  /** The id of a manifest in marker names: the first 16 hex digits of its key's SHA-256. */
  public static String manifestId(String manifestKey) {
    byte[] hash = Sha256.digest(manifestKey.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, ID_CHARS / 2);
  }

  /** The marker of slot {@code slot} of manifest {@code manifestKey}, written at {@code millis}. */
  public static String key(long millis, String manifestKey, long slot) {
    return PREFIX
        + pad(Math.max(0, millis), TIME_DIGITS)
        + "-"
        + manifestId(manifestKey)
        + "-"
        + pad(slot, SLOT_DIGITS);
  }

  /**
   * Where a listing starts to return every marker written at {@code millis} or later: the time's
   * digits alone sort before every marker of that millisecond.
   */
  public static String startAfter(long millis) {
    return PREFIX + pad(Math.max(0, millis), TIME_DIGITS);
  }

  /** The marker a key names, or null when it is not one (other clients' objects are ignored). */
  public static @Nullable Marker parse(String key) {
    if (!key.startsWith(PREFIX) || key.length() != PREFIX.length() + LENGTH) {
      return null;
    }
    String name = key.substring(PREFIX.length());
    if (name.charAt(TIME_DIGITS) != '-' || name.charAt(TIME_DIGITS + 1 + ID_CHARS) != '-') {
      return null;
    }
    String time = name.substring(0, TIME_DIGITS);
    String id = name.substring(TIME_DIGITS + 1, TIME_DIGITS + 1 + ID_CHARS);
    String slot = name.substring(TIME_DIGITS + 2 + ID_CHARS);
    if (!digits(time) || !digits(slot) || slot.charAt(0) != '0' || !hex(id)) {
      return null; // a slot has at most 19 digits: it then fits a long
    }
    return new Marker(Long.parseLong(time), id, Long.parseLong(slot));
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean hex(String s) {
    return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  private static String pad(long n, int width) {
    String digits = Long.toString(n);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }
}
