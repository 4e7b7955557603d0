package io.mps3.gateway;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A connection's socket output that knows since when its current write has been blocked, so that
 * the server can cut a caller that stops reading its answer (a blocking socket write has no timeout
 * of its own). Written by the connection's thread, watched by the server's.
 */
final class TimedSocketOutput extends FilterOutputStream {

  /** {@link System#nanoTime} when the write in progress began; 0 when none is. */
  private volatile long writingSince;

  TimedSocketOutput(OutputStream socketOutput) {
    super(socketOutput);
  }

  /** Whether a write has been in progress for longer than {@code limitNanos} at {@code now}. */
  boolean stalled(long now, long limitNanos) {
    long since = writingSince;
    return since != 0 && now - since > limitNanos;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    writingSince = started();
    try {
      out.write(b, off, len);
    } finally {
      writingSince = 0;
    }
  }

  @Override
  public void flush() throws IOException {
    writingSince = started();
    try {
      out.flush();
    } finally {
      writingSince = 0;
    }
  }

  /**
   * Runs {@code close} as a watched write: closing a TLS socket writes a close notice, which a
   * caller that stopped reading may never take.
   */
  void watching(Runnable close) {
    writingSince = started();
    try {
      close.run();
    } finally {
      writingSince = 0;
    }
  }

  /** Now, never 0 (which means "not writing"). */
  private static long started() {
    long now = System.nanoTime();
    return now == 0 ? 1 : now;
  }
}
