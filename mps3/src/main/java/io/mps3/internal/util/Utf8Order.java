package io.mps3.internal.util;

import java.util.Comparator;

/**
 * Orders strings as S3 lists keys: by their UTF-8 bytes. Comparing code points gives the same
 * order, without encoding; {@link String#compareTo} does not (it compares UTF-16 units, which puts
 * U+E000..U+FFFF after supplementary characters).
 */
public final class Utf8Order implements Comparator<String> {

  /** The one instance. */
  public static final Utf8Order INSTANCE = new Utf8Order();

  private Utf8Order() {}

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
