package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The bytes a caller sends on one connection, buffered for the connection's whole life (so bytes of
 * a pipelined request read with an earlier one stay for it), and read under a time limit that is
 * either a per-read timeout (waiting for a request, reading a body) or an overall deadline (reading
 * a head, draining an unread body): the socket's timeout is set to what is left before each read
 * from the socket, so a caller sending a byte every few seconds cannot stretch a head.
 *
 * <p>Not synchronized (one thread serves a connection), unlike {@link java.io.BufferedInputStream},
 * whose lock the request head parser would take once a byte.
 */
final class ConnectionInput extends InputStream {

  private final Socket socket;
  private final InputStream in;
  private final byte[] buffer;
  private int position;
  private int limit;

  private boolean hasDeadline;
  private long deadlineNanos;
  private int perReadMillis;
  private int appliedMillis = -1;

  ConnectionInput(Socket socket, InputStream in, int bufferSize) {
    this.socket = socket;
    this.in = in;
    this.buffer = new byte[bufferSize];
  }

  /** From now on each read from the socket waits at most {@code millis}. */
  void perRead(int millis) {
    hasDeadline = false;
    perReadMillis = millis;
  }

  /** From now on reads from the socket fail once {@code timeoutNanos} from now have passed. */
  void deadlineIn(long timeoutNanos) {
    hasDeadline = true;
    deadlineNanos = System.nanoTime() + timeoutNanos;
  }

  /**
   * Waits (under the current time limit) until at least one byte is buffered.
   *
   * @return false when the caller closed the connection first
   */
  boolean awaitByte() throws IOException {
    return position < limit || fill();
  }

  /** How many bytes are buffered: they can be read without waiting. */
  int buffered() {
    return limit - position;
  }

  @Override
  public int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position == limit) {
      if (len >= buffer.length) {
        applyTimeout(); // a large read bypasses the buffer, as BufferedInputStream's does
        return in.read(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0 || (position == limit && !fill())) {
      return 0;
    }
    int skipped = (int) Math.min(n, limit - position);
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return limit - position;
  }

  /** Closes the socket's input side only through the socket: this stream does not own it. */
  @Override
  public void close() {}

  private boolean fill() throws IOException {
    applyTimeout();
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false; // a blocking socket stream returns 0 only for a 0-length read
    }
    position = 0;
    limit = n;
    return true;
  }

  /** Sets the socket's timeout to the current limit (only when it changed: it costs a lock). */
  private void applyTimeout() throws IOException {
    int millis;
    if (hasDeadline) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("the deadline for this read passed");
      }
      millis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    } else {
      millis = perReadMillis;
    }
    if (millis != appliedMillis) {
      socket.setSoTimeout(millis);
      appliedMillis = millis;
    }
  }
}
