package io.mps3.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Between Jetty and the gateway's own types: a Jetty request read as an {@link IncomingRequest},
 * and the gateway's XML answers written to a Jetty response. Stateless.
 */
final class JettyExchange {

  private JettyExchange() {}

  /** The request as it arrived: method, raw path and query, headers by lowercase name. */
  static IncomingRequest incoming(Request request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers
          .computeIfAbsent(field.getLowerCaseName(), name -> new ArrayList<>())
          .add(field.getValue());
    }
    String path = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    return new IncomingRequest(
        request.getMethod(), path == null ? "/" : path, query == null ? "" : query, headers);
  }

  /** Writes {@code answer} whole, with its length, type and the date of {@code clock}. */
  static void answer(Response response, XmlAnswer answer, Clock clock) throws IOException {
    byte[] body = answer.xml().getBytes(StandardCharsets.UTF_8);
    response.setStatus(answer.status());
    response.getHeaders().put("Content-Type", "application/xml");
    response.getHeaders().put("Content-Length", Integer.toString(body.length));
    response.getHeaders().put("Date", httpDate(clock));
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(body);
    }
  }

  /** The time of {@code clock} as an HTTP date. */
  static String httpDate(Clock clock) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC));
  }
}
