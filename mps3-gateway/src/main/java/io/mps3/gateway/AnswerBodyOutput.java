package io.mps3.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streamed answer's body on the connection's buffered output, framed one of four ways: exactly
 * its {@code Content-Length} (one byte more fails the write and is not sent; closing it short
 * leaves the connection unusable, so it is closed after), chunked, delimited by the connection's
 * close (HTTP/1.0), or none at all (HEAD, 204, 304: what is written is dropped). Closing it ends
 * the answer and flushes; it never closes the connection.
 */
final class AnswerBodyOutput extends OutputStream {

  /** How the body is delimited on the wire. */
  enum Framing {
    LENGTH,
    CHUNKED,
    CLOSE,
    NONE
  }

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

  private final OutputStream out;
  private final Framing framing;
  private long left;
  private boolean closed;
  private boolean broken;

  AnswerBodyOutput(OutputStream out, Framing framing, long length) {
    this.out = out;
    this.framing = framing;
    this.left = length;
  }

  /**
   * Whether the connection can carry another answer after this one: the body was closed, whole and
   * no write failed, and its end is not the connection's close.
   */
  boolean reusable() {
    return closed
        && !broken
        && framing != Framing.CLOSE
        && (framing != Framing.LENGTH || left == 0);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("the answer's body was already closed");
    }
    if (len == 0) {
      return;
    }
    try {
      switch (framing) {
        case NONE -> {}
        case LENGTH -> {
          if (len > left) {
            broken = true;
            throw new IOException("more answer body than its Content-Length");
          }
          out.write(b, off, len);
          left -= len;
        }
        case CHUNKED -> {
          out.write(Integer.toHexString(len).getBytes(StandardCharsets.ISO_8859_1));
          out.write(CRLF);
          out.write(b, off, len);
          out.write(CRLF);
        }
        case CLOSE -> out.write(b, off, len);
      }
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  @Override
  public void flush() throws IOException {
    if (closed) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  /** Ends the body (the last chunk, when chunked) and sends what is buffered. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (framing == Framing.CHUNKED && !broken) {
        out.write(LAST_CHUNK);
      }
      out.flush();
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  /** Ends the body without completing it: the connection is closed after. */
  void abandon() {
    closed = true;
    broken = true;
  }
}
