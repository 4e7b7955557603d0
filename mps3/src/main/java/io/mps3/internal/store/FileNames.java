package io.mps3.internal.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The reversible mapping between object keys and relative file paths of the local directory store.
 *
 * <p>A key's UTF-8 bytes are kept where they are safe on every common file system ({@code a-z 0-9 .
 * _ - @ , = +}) and written as {@code %XX} (uppercase hex) otherwise. Upper-case letters are
 * escaped too, so keys that differ only by case never meet on a case-insensitive file system, and
 * non-ASCII is escaped byte by byte, so no file system normalises it. A leading or trailing dot is
 * escaped ({@code .}, {@code ..} and hidden names cannot occur; names starting with a dot are the
 * store's own), and so is the first letter of a Windows device name ({@code con}, {@code nul},
 * ...). So {@code users/42} is stored as {@code users%2F42} and {@code manifest.json@x} as {@code
 * manifest.json@x}: readable, and no key can reach outside its bucket's directory.
 *
 * <p>File names are limited to 255 bytes on most file systems, and an escaped key can have 3072. A
 * name longer than {@value #MAX_SEGMENT} characters is cut into segments of at most that length
 * (never inside an escape); every segment but the last names a directory and ends in {@code ~},
 * which no escaped key contains, so a segment directory never meets a file of a shorter key.
 */
final class FileNames {

  /** The longest file or directory name this mapping produces, in ASCII characters. */
  static final int MAX_SEGMENT = 200;

  /** Marks a directory that holds the rest of a long name. */
  static final char SEGMENT_MARK = '~';

  private static final Set<String> DEVICE_NAMES =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FileNames() {}

  /** The path segments of a key's file, relative to its bucket's directory. */
  static List<String> encode(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    StringBuilder name = new StringBuilder(bytes.length + 16);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean edgeDot = b == '.' && (i == 0 || i == bytes.length - 1);
      if (isSafe(b) && !edgeDot) {
        name.append((char) b);
      } else {
        escape(name, b);
      }
    }
    if (isDeviceName(name)) {
      String rest = name.substring(1);
      name.setLength(0);
      escape(name, key.charAt(0));
      name.append(rest);
    }
    return split(name.toString());
  }

  /**
   * The key of a file, from its path segments relative to the bucket's directory, or null when the
   * path is not one this mapping produces (a file a person or another program put there).
   */
  static @Nullable String decode(List<String> segments) {
    StringBuilder joined = new StringBuilder();
    for (int s = 0; s < segments.size(); s++) {
      String segment = segments.get(s);
      boolean last = s == segments.size() - 1;
      if (!last) {
        if (segment.isEmpty() || segment.charAt(segment.length() - 1) != SEGMENT_MARK) {
          return null;
        }
        segment = segment.substring(0, segment.length() - 1);
      }
      joined.append(segment);
    }
    ByteArrayOutputStream bytes = unescape(joined);
    if (bytes == null || bytes.size() == 0) {
      return null;
    }
    String key;
    try {
      key =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    // Only the canonical name of a key counts, so two files never claim one key ("%61" and "a").
    return encode(key).equals(segments) ? key : null;
  }

  /**
   * The start of a key from the segment directories of a long name (each ending in the mark), or
   * null when they cannot be decoded: used to skip directories that cannot hold a prefix.
   */
  static @Nullable String decodePartial(List<String> directories) {
    StringBuilder joined = new StringBuilder();
    for (String segment : directories) {
      if (segment.isEmpty() || segment.charAt(segment.length() - 1) != SEGMENT_MARK) {
        return null;
      }
      joined.append(segment, 0, segment.length() - 1);
    }
    ByteArrayOutputStream bytes = unescape(joined);
    if (bytes == null) {
      return null;
    }
    // A multi-byte character may be cut at the end: keep only what decodes whole.
    String text = bytes.toString(StandardCharsets.UTF_8);
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    return text.substring(0, end);
  }

  /** The bytes of an escaped name, or null when it holds a bad escape or an unsafe character. */
  private static @Nullable ByteArrayOutputStream unescape(CharSequence name) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 2 < name.length()) {
        int hi = Character.digit(name.charAt(i + 1), 16);
        int lo = Character.digit(name.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80 && isSafe(c)) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    return bytes;
  }

  private static boolean isSafe(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= '0' && b <= '9')
        || b == '.'
        || b == '_'
        || b == '-'
        || b == '@'
        || b == ','
        || b == '='
        || b == '+';
  }

  private static void escape(StringBuilder out, int b) {
    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }

  private static boolean isDeviceName(CharSequence name) {
    int end = 0;
    while (end < name.length() && name.charAt(end) != '.') {
      end++;
    }
    return end >= 3 && end <= 4 && DEVICE_NAMES.contains(name.subSequence(0, end).toString());
  }

  private static List<String> split(String name) {
    List<String> segments = new ArrayList<>();
    int start = 0;
    while (name.length() - start > MAX_SEGMENT) {
      int end = start + MAX_SEGMENT - 1; // room for the mark
      // Never cut inside an escape: back up to its '%' when one of the last two chars is one.
      if (name.charAt(end - 1) == '%') {
        end -= 1;
      } else if (name.charAt(end - 2) == '%') {
        end -= 2;
      }
      segments.add(name.substring(start, end) + SEGMENT_MARK);
      start = end;
    }
    segments.add(name.substring(start));
    return segments;
  }
}
