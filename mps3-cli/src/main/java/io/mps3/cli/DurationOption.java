package io.mps3.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration option as people write it ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}) or in
 * ISO 8601 ({@code PT10S}); positive only.
 */
final class DurationOption implements ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Duration parsed = parse(value.trim());
    if (parsed.isNegative() || parsed.isZero()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return parsed;
  }

  private static Duration parse(String value) {
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1)); // at most 9 digits: cannot fail
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 10s, 2m, 1h)");
    }
  }
}
