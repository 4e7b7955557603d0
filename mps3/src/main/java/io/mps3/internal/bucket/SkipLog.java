package io.mps3.internal.bucket;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports each object a client skips once: its key and the reason, to {@link SkipWarnings} (a
 * WARNING line). Every poll meets the same garbage again, so without this one bad object would log
 * a line per poll. The keys reported are remembered in a bounded LRU set ({@value #KEYS} keys): a
 * bucket flooded with garbage costs bounded memory, and a key forgotten is at worst reported again.
 * Thread-safe.
 */
public final class SkipLog implements SkipWarnings {

  static final int KEYS = 10_000;

  private final SkipWarnings warnings;
  private final Map<String, Boolean> reported =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > KEYS;
        }
      };

  /** Reports to {@code warnings}. */
  /** Logs a skipped object of the bucket at WARNING, with its key and why. */
  public static void warn(String objectKey, String reason) {
    System.getLogger(SkipLog.class.getName())
        .log(System.Logger.Level.WARNING, "MPS3: skipping " + objectKey + ": " + reason);
  }

  public SkipLog(SkipWarnings warnings) {
    this.warnings = warnings;
  }

  /** Reports an invalid object unless it was reported already. */
  public void invalid(Parsed.Invalid<?> invalid) {
    skipped(invalid.key(), invalid.reason());
  }

  @Override
  public void skipped(String objectKey, String reason) {
    boolean first;
    synchronized (reported) {
      first = reported.put(objectKey, Boolean.TRUE) == null;
    }
    if (first) {
      warnings.skipped(printable(objectKey), reason);
    }
  }

  /**
   * The key with control characters escaped: a name from the bucket may hold a line break, which
   * would let whoever wrote it forge log lines.
   */
  static String printable(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
