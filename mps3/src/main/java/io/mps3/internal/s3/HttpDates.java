package io.mps3.internal.s3;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the HTTP dates of responses ({@code Date}, {@code Last-Modified}, {@code Retry-After}).
 *
 * <p>Every response carries one or two, and {@code DateTimeFormatter.RFC_1123_DATE_TIME} took a
 * tenth of the Java samples of a client's request threads in a profile. Servers send the fixed form
 * of RFC 9110 ({@code Sun, 06 Nov 1994 08:49:37 GMT}), read here by position; anything else goes to
 * the formatter, which also takes one-digit days and numeric offsets.
 */
final class HttpDates {

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
  private static final String DAYS = "MonTueWedThuFriSatSun";

  private HttpDates() {}

  /** The instant of an HTTP date, or null when it is not one. */
  static @Nullable Instant parse(String value) {
    Instant fixed = fixedForm(value);
    if (fixed != null) {
      return fixed;
    }
    try {
      return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code EEE, dd MMM yyyy HH:mm:ss GMT}, or null for any other form. */
  private static @Nullable Instant fixedForm(String v) {
    if (v.length() != 29
        || v.charAt(3) != ','
        || v.charAt(4) != ' '
        || v.charAt(7) != ' '
        || v.charAt(11) != ' '
        || v.charAt(16) != ' '
        || v.charAt(19) != ':'
        || v.charAt(22) != ':'
        || !v.endsWith(" GMT")) {
      return null;
    }
    int month = MONTHS.indexOf(v.substring(8, 11));
    int day = digits(v, 5, 2);
    int year = digits(v, 12, 4);
    int hour = digits(v, 17, 2);
    int minute = digits(v, 20, 2);
    int second = digits(v, 23, 2);
    if (month < 0
        || month % 3 != 0
        || day < 0
        || year < 0
        || hour < 0
        || minute < 0
        || second < 0) {
      return null;
    }
    try {
      LocalDateTime at = LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second);
      int dayName = (at.getDayOfWeek().getValue() - 1) * 3;
      // A wrong day name: the formatter refuses it too.
      return v.regionMatches(0, DAYS, dayName, 3) ? at.toInstant(ZoneOffset.UTC) : null;
    } catch (DateTimeException e) {
      return null; // 31 Feb, hour 25: the formatter refuses them too
    }
  }

  /** The number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String v, int from, int count) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
