package io.mps3.gateway;

import java.io.IOException;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.jspecify.annotations.Nullable;

/**
 * The head of the store's answer as read off an {@link UpstreamConnection}: status, headers, and
 * how its body is framed (RFC 9112 section 6.3). Interim (1xx) answers are read and skipped. The
 * head's size is bounded, so a store (or whatever answers in its place) cannot make the gateway
 * hold an endless head.
 *
 * @param status the final status
 * @param headers the headers as sent
 * @param framing how the body ends
 * @param length the body's length when framed by {@code Content-Length}, else -1
 * @param keepAlive whether the connection may carry another exchange once the body is read
 */
record UpstreamAnswerHead(
    int status, HttpFields headers, Framing framing, long length, boolean keepAlive) {

  /** How an answer's body ends. */
  enum Framing {
    /** No body (HEAD, 1xx, 204, 304), whatever the headers say. */
    NONE,
    /** {@code Content-Length} bytes. */
    LENGTH,
    /** Chunked transfer coding. */
    CHUNKED,
    /** Up to the store closing the connection. */
    CLOSE
  }

  /** The most a head (status line and headers, interim answers included) may take. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** The store's answer head is larger than the gateway reads. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("the store's answer head is over " + MAX_HEAD_BYTES + " bytes");
    }
  }

  /** Reads the final answer's head, skipping interim ones. */
  static UpstreamAnswerHead read(UpstreamConnection in, boolean headRequest) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    while (true) {
      String statusLine = line(in, budget);
      // HTTP/1.1 200 OK (the reason may be empty or missing)
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("the store's answer has no HTTP/1.x status line");
      }
      boolean http10 = statusLine.charAt(7) == '0';
      int status = parseStatus(statusLine.substring(9, 12));
      HttpFields.Mutable headers = HttpFields.build();
      for (String header = line(in, budget); !header.isEmpty(); header = line(in, budget)) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
          throw new IOException("the store's answer has a malformed header line");
        }
        headers.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
      }
      if (status >= 100 && status < 200) {
        if (status == 101) {
          throw new IOException("the store switched protocols, which the gateway never asks for");
        }
        continue; // 100 Continue, 103 Early Hints: the final answer follows
      }
      return of(status, headers, http10, headRequest);
    }
  }

  private static UpstreamAnswerHead of(
      int status, HttpFields headers, boolean http10, boolean headRequest) throws IOException {
    String connection = headers.get("Connection");
    boolean keepAlive =
        http10
            ? hasToken(connection, "keep-alive") && !hasToken(connection, "close")
            : !hasToken(connection, "close");
    if (headRequest || status == 204 || status == 304) {
      return new UpstreamAnswerHead(status, headers, Framing.NONE, -1, keepAlive);
    }
    String coding = headers.get("Transfer-Encoding");
    if (coding != null) {
      if (!http10 && lastToken(coding).equals("chunked")) {
        return new UpstreamAnswerHead(status, headers, Framing.CHUNKED, -1, keepAlive);
      }
      return new UpstreamAnswerHead(status, headers, Framing.CLOSE, -1, false);
    }
    long length = -1;
    for (String value : headers.getValuesList("Content-Length")) {
      for (String part : value.split(",", -1)) {
        long one = parseLength(part.trim());
        if (length >= 0 && one != length) {
          throw new IOException("the store's answer has conflicting Content-Length headers");
        }
        length = one;
      }
    }
    if (length >= 0) {
      return new UpstreamAnswerHead(status, headers, Framing.LENGTH, length, keepAlive);
    }
    return new UpstreamAnswerHead(status, headers, Framing.CLOSE, -1, false);
  }

  /** A line without its CR LF (a bare LF ends one too), within what is left of the budget. */
  static String line(UpstreamConnection in, int[] budget) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the store closed the connection inside an answer head");
      }
      if (--budget[0] < 0) {
        throw new TooLarge();
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b); // ISO-8859-1, as HTTP heads are
    }
  }

  private static int parseStatus(String digits) throws IOException {
    try {
      int status = Integer.parseInt(digits);
      if (status >= 100 && status <= 999) {
        return status;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw new IOException("the store's answer has a malformed status");
  }

  private static long parseLength(String value) throws IOException {
    long length = ContentLength.parse(value);
    if (length < 0) {
      throw new IOException("the store's answer has a malformed Content-Length");
    }
    return length;
  }

  private static boolean hasToken(@Nullable String value, String token) {
    if (value == null) {
      return false;
    }
    for (String part : value.split(",", -1)) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static String lastToken(String value) {
    String[] parts = value.split(",", -1);
    return parts[parts.length - 1].trim().toLowerCase(Locale.ROOT);
  }
}
