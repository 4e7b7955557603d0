package io.mps3;

import io.mps3.spi.ObjectKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The checks of {@link Mps3Config.Builder}: each option's bounds as it is set, and at {@link
 * Mps3Config.Builder#build()} the checks that look at several settings at once. Messages name the
 * option and the bad value.
 */
final class ConfigChecks {

  /** Settings only the strict protocol uses; the other tracked ones are causal-only. */
  private static final Set<String> STRICT_ONLY =
      Set.of(
          "inlineLimit",
          "checkpointInterval",
          "transactionAttempts",
          "outageTimeout",
          "changeFeed");

  private ConfigChecks() {}

  /** {@return value, if it is at least min} */
  static long atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  /** {@return value, if it is at least min} */
  static int atLeast(String option, int value, int min) {
    return Math.toIntExact(atLeast(option, (long) value, min));
  }

  /** {@return value, if it is within min..max; unit names what it counts, for the message} */
  static int within(String option, int value, int min, int max, String unit) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be " + min + ".." + max + " " + unit + ", was " + value);
    }
    return value;
  }

  /** {@return value, if it is not null and at least min} */
  static Duration atLeast(String option, Duration value, Duration min) {
    Objects.requireNonNull(value, option);
    if (value.compareTo(min) < 0) {
      String bound = min.toMillis() < 1000 ? min.toMillis() + " ms" : min.toSeconds() + " s";
      throw new IllegalArgumentException(option + " must be at least " + bound + ", was " + value);
    }
    return value;
  }

  /**
   * {@return key, if it is a valid object key without {@code @}}: the causal protocol names log
   * entries {@code manifest@version}.
   */
  static String manifestKey(String key) {
    ObjectKeys.requireValidKey(key);
    if (key.contains("@")) {
      throw new IllegalArgumentException("manifest key " + key + " must not contain '@'");
    }
    return key;
  }

  /**
   * Checks the settings as a whole, before a configuration is made of them.
   *
   * @throws IllegalStateException when no store was given, or naming each setting the chosen
   *     protocol would ignore
   */
  static void checkComplete(DefaultMps3ConfigBuilder settings) {
    if (settings.store == null && settings.localDirectory == null) {
      throw new IllegalStateException(
          "no store: call store(...) with an ObjectStore, or localDirectory(path)");
    }
    refuseIgnoredSettings(settings.explicit, settings.protocol);
  }

  /**
   * Refuses settings the chosen protocol would ignore: a setting a client silently does not use is
   * a bug waiting for its user.
   *
   * @param explicit the names of the protocol-specific settings the caller set
   * @throws IllegalStateException naming each ignored setting
   */
  private static void refuseIgnoredSettings(Set<String> explicit, Protocol protocol) {
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
