package io.mps3.gateway;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A request's body with its framing removed: {@code Content-Length} bytes, or the chunked transfer
 * coding decoded strictly (a size of at most 16 hex digits, extensions ignored within a bounded
 * line, CR LF after each chunk's data, trailer fields read and dropped within the head's byte
 * bound). A body that ends early, or is malformed, fails its read with an IOException, and the
 * connection cannot be used again ({@link #failed}).
 *
 * <p>Closing it does nothing: the connection is not the handler's to close.
 */
final class RequestBody extends InputStream {

  /** The longest chunk-size line, extensions included. */
  static final int MAX_CHUNK_LINE = 4096;

  private static final int MAX_SIZE_DIGITS = 16;

  /** Something to do once, before the first read: sending {@code 100 Continue}. */
  @FunctionalInterface
  interface BeforeFirstRead {
    void run() throws IOException;
  }

  private final ConnectionInput in;
  private final boolean chunked;
  private @Nullable BeforeFirstRead beforeFirstRead;

  /** What is left of the body (of the current chunk, when chunked). */
  private long left;

  private boolean ended;
  private boolean failed;
  private boolean started;
  private final byte[] one = new byte[1];

  RequestBody(ConnectionInput in, RequestHead head, @Nullable BeforeFirstRead beforeFirstRead) {
    this.in = in;
    this.chunked = head.framing() == RequestHead.Framing.CHUNKED;
    this.left = head.framing() == RequestHead.Framing.LENGTH ? head.contentLength() : 0;
    this.ended = head.framing() == RequestHead.Framing.NONE;
    this.beforeFirstRead = ended ? null : beforeFirstRead;
  }

  /** Whether the body was read to its end. */
  boolean ended() {
    return ended;
  }

  /** Whether a read failed (early end, malformed coding, timeout): the connection is unusable. */
  boolean failed() {
    return failed;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (beforeFirstRead != null) {
      BeforeFirstRead once = beforeFirstRead;
      beforeFirstRead = null;
      once.run();
    }
    if (ended) {
      return -1;
    }
    if (failed) {
      throw new IOException("an earlier read of this request's body failed");
    }
    if (len == 0) {
      return 0;
    }
    try {
      return readFramed(b, off, len);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private int readFramed(byte[] b, int off, int len) throws IOException {
    if (left == 0) { // only when chunked: the next chunk, or the end
      if (started) {
        expectCrLf();
      }
      started = true;
      left = chunkSize();
      if (left == 0) {
        skipTrailers();
        ended = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw new EOFException("the caller closed the connection inside the request body");
    }
    left -= n;
    if (left == 0 && !chunked) {
      ended = true;
    }
    return n;
  }

  @Override
  public int available() {
    return ended || failed ? 0 : (int) Math.min(in.buffered(), left);
  }

  @Override
  public void close() {}

  /**
   * Reads and drops what is left of the body, at most {@code maxBytes} and for at most {@code
   * timeoutNanos}, without sending {@code 100 Continue}.
   *
   * @return whether the body's end was reached
   */
  boolean drain(long maxBytes, long timeoutNanos) {
    beforeFirstRead = null;
    if (ended) {
      return true;
    }
    if (failed) {
      return false;
    }
    in.deadlineIn(timeoutNanos);
    byte[] sink = new byte[8192];
    try {
      for (long total = 0; !ended; total += Math.max(0, read(sink, 0, sink.length))) {
        if (total > maxBytes) {
          return false;
        }
      }
    } catch (IOException e) {
      return false; // too slow, cut or malformed: the connection closes
    }
    return true;
  }

  private long chunkSize() throws IOException {
    long size = 0;
    int digits = 0;
    int length = 0;
    int c;
    while (true) {
      c = nextLineByte(++length);
      int digit = hexDigit(c);
      if (digit < 0) {
        break;
      }
      if (++digits > MAX_SIZE_DIGITS || size > (Long.MAX_VALUE >> 4)) {
        throw new IOException("a chunk size too large");
      }
      size = (size << 4) | digit;
    }
    if (digits == 0) {
      throw new IOException("a chunk without a hex size");
    }
    while (c == ' ' || c == '\t') { // BWS before an extension
      c = nextLineByte(++length);
    }
    if (c == ';') { // extensions: ignored, but only printable bytes and HT up to the CR
      for (c = nextLineByte(++length); c != '\r'; c = nextLineByte(++length)) {
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new IOException("a control character in a chunk extension");
        }
      }
    }
    if (c != '\r') {
      throw new IOException("a malformed chunk size line");
    }
    if (nextLineByte(++length) != '\n') {
      throw new IOException("a chunk size line not ended by CR LF");
    }
    return size;
  }

  private static int hexDigit(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private int nextLineByte(int length) throws IOException {
    if (length > MAX_CHUNK_LINE) {
      throw new IOException("a chunk size line longer than " + MAX_CHUNK_LINE + " bytes");
    }
    int c = in.read();
    if (c < 0) {
      throw new EOFException("the caller closed the connection inside the request body");
    }
    return c;
  }

  private void expectCrLf() throws IOException {
    if (nextLineByte(1) != '\r' || nextLineByte(2) != '\n') {
      throw new IOException("a chunk's data not followed by CR LF");
    }
  }

  private void skipTrailers() throws IOException {
    RequestHead.LineReader lines = new RequestHead.LineReader(in, RequestHead.MAX_BYTES);
    try {
      for (byte[] line = lines.next(); line.length > 0; line = lines.next()) {
        if (line[0] == ' ' || line[0] == '\t' || !hasTokenName(line)) {
          throw new IOException("a malformed trailer field");
        }
      }
    } catch (RequestRefusal e) {
      throw new IOException("malformed trailer section: " + e.reason(), e);
    }
  }

  private static boolean hasTokenName(byte[] line) {
    for (int i = 0; i < line.length; i++) {
      if (line[i] == ':') {
        return RequestHead.isToken(line, 0, i);
      }
    }
    return false;
  }
}
