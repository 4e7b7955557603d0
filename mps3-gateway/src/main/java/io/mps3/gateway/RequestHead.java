package io.mps3.gateway;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's head, read strictly (RFC 9112): whatever two servers could read two ways, which is
 * how a request is smuggled past a check, is refused rather than guessed at. Every line must end in
 * CR LF; no obsolete line folding, no space before a header's colon, a name must be a token, a
 * value no control character; the request line is exactly {@code METHOD SP target SP HTTP/1.x}; a
 * body's framing is one {@code Content-Length} of plain digits or {@code Transfer-Encoding:
 * chunked}, never both, never a repeated or listed length; HTTP/1.1 needs one {@code Host}.
 *
 * @param request the method, path, query and headers (values trimmed, decoded as UTF-8)
 * @param http11 HTTP/1.1 (else HTTP/1.0)
 * @param framing how the body is delimited
 * @param contentLength the body's length when {@link Framing#LENGTH}
 * @param expectsContinue an HTTP/1.1 request that sent {@code Expect: 100-continue}
 * @param wantsClose the caller said {@code Connection: close}, or spoke HTTP/1.0
 */
record RequestHead(
    IncomingRequest request,
    boolean http11,
    Framing framing,
    long contentLength,
    boolean expectsContinue,
    boolean wantsClose) {

  /** The most bytes a head may take, its CR LFs included (trailers of chunked bodies too). */
  static final int MAX_BYTES = 16 * 1024;

  /** The most header lines a head may have. */
  static final int MAX_FIELDS = 100;

  /** Empty lines tolerated before a request line (a stray CR LF after an earlier body). */
  private static final int MAX_LEADING_EMPTY_LINES = 2;

  /** How a request's body is delimited. */
  enum Framing {
    /** No body. */
    NONE,
    /** {@code Content-Length} bytes. */
    LENGTH,
    /** Chunked transfer coding. */
    CHUNKED
  }

  /**
   * Reads one head.
   *
   * @throws RequestRefusal a head that must be refused, with the status to answer
   * @throws EOFException the caller closed the connection inside the head
   * @throws IOException reading failed (a timeout among them)
   */
  static RequestHead read(InputStream in) throws IOException, RequestRefusal {
    LineReader lines = new LineReader(in, MAX_BYTES);
    byte[] requestLine = lines.next();
    for (int empty = 0; requestLine.length == 0; empty++) {
      if (empty == MAX_LEADING_EMPTY_LINES) {
        throw new RequestRefusal(400, "empty lines where a request line was expected");
      }
      requestLine = lines.next();
    }
    int space1 = indexOf(requestLine, (byte) ' ', 0);
    int space2 = space1 < 0 ? -1 : indexOf(requestLine, (byte) ' ', space1 + 1);
    if (space1 <= 0 || space2 < 0 || indexOf(requestLine, (byte) ' ', space2 + 1) >= 0) {
      throw new RequestRefusal(400, "the request line is not METHOD SP target SP version");
    }
    String method = ascii(requestLine, 0, space1);
    if (!isToken(requestLine, 0, space1)) {
      throw new RequestRefusal(400, "the method is not a token");
    }
    String target = target(requestLine, space1 + 1, space2, method);
    String version = ascii(requestLine, space2 + 1, requestLine.length);
    boolean http11 = version.equals("HTTP/1.1");
    if (!http11 && !version.equals("HTTP/1.0")) {
      throw new RequestRefusal(400, "the version is neither HTTP/1.1 nor HTTP/1.0");
    }

    Map<String, List<String>> headers = new LinkedHashMap<>();
    int fields = 0;
    for (byte[] line = lines.next(); line.length > 0; line = lines.next()) {
      if (++fields > MAX_FIELDS) {
        throw new RequestRefusal(431, "more than " + MAX_FIELDS + " header fields");
      }
      addField(line, headers);
    }

    int query = target.indexOf('?');
    IncomingRequest request =
        new IncomingRequest(
            method,
            query < 0 ? target : target.substring(0, query),
            query < 0 ? "" : target.substring(query + 1),
            headers);
    return framed(request, http11, headers);
  }

  /** Checks the headers that frame the body or steer the exchange, and makes the head. */
  private static RequestHead framed(
      IncomingRequest request, boolean http11, Map<String, List<String>> headers)
      throws RequestRefusal {
    List<String> hosts = headers.getOrDefault("host", List.of());
    if (hosts.size() > 1 || (http11 && hosts.isEmpty())) {
      throw new RequestRefusal(400, "an HTTP/1.1 request needs exactly one Host header");
    }
    List<String> lengths = headers.get("content-length");
    List<String> codings = headers.get("transfer-encoding");
    Framing framing = Framing.NONE;
    long length = 0;
    if (lengths != null && codings != null) {
      throw new RequestRefusal(400, "both Content-Length and Transfer-Encoding");
    }
    if (lengths != null) {
      if (lengths.size() > 1) {
        throw new RequestRefusal(400, "more than one Content-Length");
      }
      length = contentLength(lengths.get(0));
      framing = length > 0 ? Framing.LENGTH : Framing.NONE;
    } else if (codings != null) {
      if (!http11) {
        throw new RequestRefusal(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      if (codings.size() > 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
        throw new RequestRefusal(501, "a transfer coding other than chunked");
      }
      framing = Framing.CHUNKED;
    }
    boolean expectsContinue = false;
    for (String expectation : headers.getOrDefault("expect", List.of())) {
      if (!expectation.equalsIgnoreCase("100-continue")) {
        throw new RequestRefusal(417, "an expectation other than 100-continue");
      }
      expectsContinue = http11; // an HTTP/1.0 request's is ignored (RFC 9110 10.1.1)
    }
    boolean wantsClose = !http11;
    for (String connection : headers.getOrDefault("connection", List.of())) {
      for (String option : connection.split(",", -1)) {
        wantsClose |= option.trim().equalsIgnoreCase("close");
      }
    }
    return new RequestHead(request, http11, framing, length, expectsContinue, wantsClose);
  }

  /** 1 to 18 decimal digits: no sign, no list, no space inside, never more than a long holds. */
  private static long contentLength(String value) throws RequestRefusal {
    long length = ContentLength.parse(value);
    if (length < 0) {
      throw new RequestRefusal(400, "a Content-Length that is not 1 to 18 digits");
    }
    return length;
  }

  /** The request target: origin-form ({@code /...}), or {@code *} for OPTIONS. */
  private static String target(byte[] line, int from, int to, String method) throws RequestRefusal {
    if (from == to) {
      throw new RequestRefusal(400, "an empty request target");
    }
    for (int i = from; i < to; i++) {
      int b = line[i] & 0xff;
      if (b < 0x21 || b > 0x7e || b == '#') {
        throw new RequestRefusal(400, "a request target with a byte outside printable ASCII or #");
      }
    }
    String target = ascii(line, from, to);
    if (target.charAt(0) != '/' && !(target.equals("*") && method.equals("OPTIONS"))) {
      throw new RequestRefusal(400, "a request target not in origin form");
    }
    return target;
  }

  /** Adds one {@code name: value} line to the headers, by lowercase name. */
  private static void addField(byte[] line, Map<String, List<String>> headers)
      throws RequestRefusal {
    if (line[0] == ' ' || line[0] == '\t') {
      throw new RequestRefusal(400, "obsolete line folding in the head");
    }
    int colon = indexOf(line, (byte) ':', 0);
    if (colon <= 0 || !isToken(line, 0, colon)) {
      throw new RequestRefusal(
          400, "a header name that is not a token (or space before its colon)");
    }
    String name = ascii(line, 0, colon).toLowerCase(Locale.ROOT);
    int start = colon + 1;
    int end = line.length;
    boolean ascii = true;
    for (int i = start; i < end; i++) {
      int b = line[i] & 0xff;
      if ((b < 0x20 && b != '\t') || b == 0x7f) {
        throw new RequestRefusal(400, "a control character in the value of " + name);
      }
      ascii &= b < 0x80;
    }
    while (start < end && (line[start] == ' ' || line[start] == '\t')) {
      start++;
    }
    while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
      end--;
    }
    String value = ascii ? ascii(line, start, end) : utf8(line, start, end, name);
    headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
  }

  private static String utf8(byte[] line, int from, int to, String name) throws RequestRefusal {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RequestRefusal(400, "malformed UTF-8 in the value of " + name);
    }
  }

  /** Whether bytes {@code [from, to)} are a token (RFC 9110 5.6.2): one or more tchars. */
  static boolean isToken(byte[] bytes, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isTchar(bytes[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  /** A token character: a letter, a digit, or one of {@code !#$%&'*+-.^_`|~}. */
  static boolean isTchar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String ascii(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads CR LF terminated lines within a byte budget shared by all of them: a bare CR or LF is
   * refused, going over the budget is a 431. Also reads the trailer section of chunked bodies.
   */
  static final class LineReader {
    private final InputStream in;
    private int budget;
    private byte[] line = new byte[256];

    LineReader(InputStream in, int budget) {
      this.in = in;
      this.budget = budget;
    }

    /** The next line, without its CR LF. */
    byte[] next() throws IOException, RequestRefusal {
      int length = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("the caller closed the connection inside a head");
        }
        if (--budget < 0) {
          throw new RequestRefusal(431, "a head larger than " + MAX_BYTES + " bytes");
        }
        if (b == '\r') {
          int lf = in.read();
          if (lf < 0) {
            throw new EOFException("the caller closed the connection inside a head");
          }
          if (lf != '\n') {
            throw new RequestRefusal(400, "a CR not followed by LF in the head");
          }
          if (--budget < 0) {
            throw new RequestRefusal(431, "a head larger than " + MAX_BYTES + " bytes");
          }
          byte[] result = new byte[length];
          System.arraycopy(line, 0, result, 0, length);
          return result;
        }
        if (b == '\n') {
          throw new RequestRefusal(400, "a bare LF in the head");
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, length * 2);
        }
        line[length++] = (byte) b;
      }
    }
  }
}
