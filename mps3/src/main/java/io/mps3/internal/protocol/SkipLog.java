package io.mps3.internal.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports each object a client skips once: its key and the reason, to {@link CausalLog.Warnings} (a
 * WARNING line). Every poll meets the same garbage again, so without this one bad object would log
 * a line per poll. The keys reported are remembered in a bounded LRU set ({@value #KEYS} keys): a
 * bucket flooded with garbage costs bounded memory, and a key forgotten is at worst reported again.
 * Thread-safe.
 */
public final class SkipLog implements CausalLog.Warnings {

  static final int KEYS = 10_000;

  private final CausalLog.Warnings warnings;
  private final Map<String, Boolean> reported =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > KEYS;
        }
      };

  /** Reports to {@code warnings}. */
  public SkipLog(CausalLog.Warnings warnings) {
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
      warnings.skipped(objectKey, reason);
    }
  }
}
