package io.mps3.gateway;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A request body on its way upstream whose signed SHA-256 is checked as it streams, without
 * buffering it. The check happens before the last byte is handed on: if the body does not match, or
 * ends before its Content-Length, reading fails with {@link Mismatch} while the upstream still
 * lacks at least one byte of the length it was promised, so it never stores the body. Not
 * thread-safe.
 */
final class PayloadCheckingStream extends FilterInputStream {

  /** The body is not the one the caller signed (or is shorter than declared). */
  static final class Mismatch extends IOException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  private final MessageDigest digest = SigV4.sha256();
  private final String expectedHex;
  private long remaining;

  PayloadCheckingStream(InputStream body, long length, String expectedHex) {
    super(body);
    this.remaining = length;
    this.expectedHex = expectedHex;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = in.read(buffer, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new Mismatch("the body ended " + remaining + " bytes before its Content-Length");
    }
    digest.update(buffer, offset, n);
    remaining -= n;
    if (remaining == 0) {
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(expectedHex)) {
        throw new Mismatch("the body's SHA-256 is not the x-amz-content-sha256 that was signed");
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("a checked body cannot be skipped");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
