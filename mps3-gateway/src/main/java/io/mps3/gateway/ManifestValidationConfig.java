package io.mps3.gateway;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code validation} section of the config: how manifest writes are checked during passthrough
 * ({@link ManifestWrites}).
 *
 * <pre>{@code
 * validation:
 *   trustedRule: admins     # the rule whose callers may write checkpoints and heads, and delete logs
 *   maxEntryBytes: 1m       # a manifest object's body, buffered to be checked
 *   maxValueBytes: 64m      # any PUT's body; absent: no limit
 * }</pre>
 *
 * @param trustedRule the name of the rule that makes a caller trusted, or null for nobody
 * @param maxEntryBytes the largest body of a manifest object (entry, slot, checkpoint, head)
 * @param maxValueBytes the largest body of any PUT, {@link Long#MAX_VALUE} for no limit
 */
record ManifestValidationConfig(
    @Nullable String trustedRule, long maxEntryBytes, long maxValueBytes) {

  /** Nobody trusted, entries up to 1 MiB, values unbounded. */
  static final ManifestValidationConfig DEFAULTS =
      new ManifestValidationConfig(null, 1L << 20, Long.MAX_VALUE);

  /**
   * Reads the {@code validation} section of a config root, if any.
   *
   * @param ruleNames the names of the config's rules: {@code trustedRule} must be one
   */
  static ManifestValidationConfig parse(YamlSection root, Set<String> ruleNames) {
    if (!root.has("validation")) {
      return DEFAULTS;
    }
    YamlSection section = root.section("validation");
    section.allowOnly(Set.of("trustedRule", "maxEntryBytes", "maxValueBytes"));
    String trusted = null;
    if (section.has("trustedRule")) {
      trusted = section.string("trustedRule");
      if (!ruleNames.contains(trusted)) {
        throw section.error(
            "trustedRule", section.name("trustedRule") + " names no rule: " + trusted);
      }
    }
    long maxEntryBytes = bytes(section, "maxEntryBytes", DEFAULTS.maxEntryBytes());
    if (maxEntryBytes > 64L << 20) {
      throw section.error(
          "maxEntryBytes", section.name("maxEntryBytes") + " is buffered: at most 64m");
    }
    return new ManifestValidationConfig(
        trusted, maxEntryBytes, bytes(section, "maxValueBytes", DEFAULTS.maxValueBytes()));
  }

  /** A size: bytes, or with a binary suffix {@code k} or {@code m} ({@code 64k}, {@code 16m}). */
  private static long bytes(YamlSection section, String key, long otherwise) {
    if (!section.has(key)) {
      return otherwise;
    }
    String text = section.string(key).trim().toLowerCase(Locale.ROOT);
    int shift = text.endsWith("k") ? 10 : text.endsWith("m") ? 20 : 0;
    String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value <= 0 || value > (1L << 40) >> shift) {
      throw section.error(
          key, section.name(key) + " must be a size such as 65536, 64k or 16m, not '" + text + "'");
    }
    return value << shift;
  }
}
