package io.mps3.gateway;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The answers {@link BlockingServer} writes itself, before or instead of the handler's: a refused
 * head (400, 408, 417, 431, 501), a handler that failed (500), no connection thread free (503).
 * Each is whole, S3-style XML, and says {@code Connection: close}: the connection ends after it.
 */
final class ServerErrorAnswer {

  private ServerErrorAnswer() {}

  /** The whole answer, head and body, for {@code status} with {@code message}. */
  static byte[] of(int status, String message) {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code(status)
                + "</Code><Message>"
                + escape(message)
                + "</Message></Error>")
            .getBytes(StandardCharsets.UTF_8);
    AnswerHead head = new AnswerHead();
    head.set(
        "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    head.set("Content-Type", "application/xml");
    head.set("Content-Length", Integer.toString(body.length));
    head.set("Connection", "close");
    byte[] headBytes = head.encode(status);
    byte[] answer = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
    System.arraycopy(body, 0, answer, headBytes.length, body.length);
    return answer;
  }

  /** The S3 error code closest to the status. */
  private static String code(int status) {
    return switch (status) {
      case 408 -> "RequestTimeout";
      case 417 -> "ExpectationFailed";
      case 431 -> "RequestHeaderSectionTooLarge";
      case 500 -> "InternalError";
      case 501 -> "NotImplemented";
      case 503 -> "SlowDown";
      default -> "BadRequest";
    };
  }

  private static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
