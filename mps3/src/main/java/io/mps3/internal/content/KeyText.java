package io.mps3.internal.content;

/** Keys in messages: quoted, control characters escaped, long ones cut (a key may be 1 KiB). */
public final class KeyText {

  private static final int SHOWN = 60;

  private KeyText() {}

  /** A short, printable rendering of a key. */
  public static String excerpt(String key) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(key.length(), SHOWN);
    for (int i = 0; i < limit; i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(key.length() > limit ? "...\"" : "\"").toString();
  }
}
