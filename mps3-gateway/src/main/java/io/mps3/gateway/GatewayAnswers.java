package io.mps3.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The answers the gateway gives itself rather than the store's: its XML errors, dated by its clock,
 * and the refusals that also go to the audit log and the metrics. Thread-safe.
 */
final class GatewayAnswers {

  private final Operations operations;
  private final Clock clock;

  GatewayAnswers(Operations operations, Clock clock) {
    this.operations = operations;
    this.clock = clock;
  }

  /** Writes {@code answer} whole, with its type and the date of the gateway's clock. */
  void xml(Exchange exchange, XmlAnswer answer) throws IOException {
    exchange.setHeader("Content-Type", "application/xml");
    exchange.setHeader("Date", httpDate());
    exchange.respond(answer.status(), answer.xml().getBytes(StandardCharsets.UTF_8));
  }

  /** The gateway's clock as an HTTP date. */
  String httpDate() {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC));
  }

  /**
   * A caller over one of its limits: S3's 503 SlowDown, which SDKs and MPS3 clients back off on.
   */
  void throttled(
      Exchange exchange,
      Session session,
      S3Operation operation,
      String limit,
      Duration wait,
      IncomingRequest in)
      throws IOException {
    operations.refused(session, operation, "throttled", limit, 503);
    exchange.setHeader("Retry-After", Operations.retryAfter(wait));
    xml(
        exchange,
        XmlAnswer.s3Error(
            503, "SlowDown", "Please reduce your request rate (" + limit + ")", in.rawPath()));
  }

  /** Answers a chunked upload refused before or while it streamed; the store stored nothing. */
  void refuseChunked(
      Session session,
      S3Operation operation,
      AwsChunkedDecoder.Refused refused,
      IncomingRequest in,
      Exchange exchange)
      throws IOException {
    XmlAnswer xml = refused.answer(in.rawPath());
    String decision =
        switch (xml.status()) {
          case 403 -> "denied";
          case 501 -> "unsupported";
          default -> "rejected";
        };
    operations.refused(session, operation, decision, "chunked body refused", xml.status());
    exchange.setHeader("Connection", "close"); // the rest of the body is not read
    xml(exchange, xml);
  }
}
