package io.mps3.gateway;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The answers {@link BlockingServer} writes itself, before or instead of the handler's: a refused
 * head (400, 408, 417, 431, 501), a handler that failed (500), no connection thread free (503).
 * Each is whole, the gateway's S3 error XML ({@link XmlAnswer}), and says {@code Connection:
 * close}: the connection ends after it.
 */
final class ServerErrorAnswer {

  private ServerErrorAnswer() {}

  /** The whole answer, head and body, for {@code status} with {@code message}. */
  static byte[] of(int status, String message) {
    byte[] body =
        XmlAnswer.s3Error(status, code(status), message, "/")
            .xml()
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
}
