package io.mps3;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** The checks of {@link Mps3Config.Builder#build()} that look at several settings at once. */
final class ConfigChecks {

  /** Settings only the strict protocol uses; the other tracked ones are causal-only. */
  private static final Set<String> STRICT_ONLY =
      Set.of("inlineLimit", "checkpointInterval", "transactionAttempts", "outageTimeout");

  private ConfigChecks() {}

  /** {@code value}, if it is at least {@code least}; else an exception naming the setting. */
  static Duration atLeast(Duration value, Duration least, String setting) {
    Objects.requireNonNull(value, setting);
    if (value.compareTo(least) < 0) {
      throw new IllegalArgumentException(
          setting + " must be at least " + text(least) + ", was " + value);
    }
    return value;
  }

  /** {@code value}, if it is in {@code min..max}; else an exception naming the setting. */
  static int inRange(int value, int min, int max, String setting, String unit) {
    if (value < min || value > max) {
      String range = max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
      throw new IllegalArgumentException(
          setting + " must be " + range + (unit.isEmpty() ? "" : " " + unit) + ", was " + value);
    }
    return value;
  }

  /** A duration as people write it: {@code 10 ms}, {@code 1 s}. */
  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /**
   * Refuses settings the chosen protocol would ignore: a setting a client silently does not use is
   * a bug waiting for its user.
   *
   * @param explicit the names of the protocol-specific settings the caller set
   * @throws IllegalStateException naming each ignored setting
   */
  static void refuseIgnoredSettings(Set<String> explicit, Protocol protocol) {
    List<String> ignored = new ArrayList<>();
    for (String setting : explicit) {
      boolean strictOnly = STRICT_ONLY.contains(setting);
      if (strictOnly != (protocol == Protocol.STRICT)) {
        ignored.add(setting + "()");
      }
    }
    if (ignored.isEmpty()) {
      return;
    }
    Collections.sort(ignored);
    throw new IllegalStateException(
        String.join(", ", ignored)
            + (ignored.size() == 1 ? " has" : " have")
            + " no effect with the "
            + protocol.name().toLowerCase(Locale.ROOT)
            + " protocol: remove "
            + (ignored.size() == 1 ? "it" : "them")
            + " or choose the other protocol");
  }
}
