package io.mps3.testkit.hostile;

/**
 * One object put into a live manifest's prefixes by someone else.
 *
 * @param key its key
 * @param body its body
 * @param garbage true when, by construction, no reader may take it for data (a name no entry has,
 *     or a body that is no JSON object of the right shape): the manifest's valid data must then
 *     read unchanged; false for mutations that may still be valid data
 */
@SuppressWarnings("ArrayRecordComponent") // never compared: a test input, shown by toString
record HostileObject(String key, byte[] body, boolean garbage) {

  @Override
  public String toString() {
    String shown =
        new String(
            body, 0, Math.min(body.length, 80), java.nio.charset.StandardCharsets.ISO_8859_1);
    return (garbage ? "garbage " : "mutant ")
        + escape(key)
        + " = "
        + body.length
        + " bytes: "
        + escape(shown);
  }

  /** Java-escaped, so a counterexample can be pasted into a regression test. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c >= 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
