package io.mps3.internal.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding as S3 signs it (SigV4 "URI-encode"): every UTF-8 byte but {@code A-Z a-z 0-9 - _
 * . ~} becomes {@code %XX} with uppercase hex; in a path, {@code /} is kept. The same string goes
 * to the signer and on the wire, so they cannot disagree.
 */
public final class S3Encoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private S3Encoding() {}

  /** Encodes an object key for a URL path: {@code /} kept, everything else as for a value. */
  public static String path(String key) {
    return encode(key, true);
  }

  /** Encodes a query value, or a path segment that must not contain {@code /}. */
  public static String value(String value) {
    return encode(value, false);
  }

  private static String encode(String s, boolean keepSlash) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte value : bytes) {
      int b = value & 0xff;
      if ((b >= 'A' && b <= 'Z')
          || (b >= 'a' && b <= 'z')
          || (b >= '0' && b <= '9')
          || b == '-'
          || b == '_'
          || b == '.'
          || b == '~'
          || (keepSlash && b == '/')) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes a value of a listing asked for with {@code encoding-type=url}. Servers differ on the
   * space: AWS writes {@code +}, others {@code %20}; both encode a literal {@code +} as {@code
   * %2B}, so {@code +} always means a space.
   *
   * @throws IllegalArgumentException on a malformed escape
   */
  public static String urlDecode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated escape at index " + i);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad escape at index " + i);
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          utf8 = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
