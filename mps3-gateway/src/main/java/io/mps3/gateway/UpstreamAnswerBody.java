package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * The store's answer body, read off its connection as the caller reads it (never buffered whole),
 * framed as its head says. Read to its end, it hands the connection back (reusable when the head
 * allowed keep-alive and the body was framed); closed before its end, the connection is closed, as
 * its unread rest would otherwise be taken for the next answer. Chunk extensions and trailers are
 * read and dropped. One reader at a time.
 */
final class UpstreamAnswerBody extends InputStream {

  /** The longest chunk-size line read (size and extensions). */
  private static final int MAX_CHUNK_LINE = 4096;

  private final UpstreamConnection connection;
  private final UpstreamAnswerHead.Framing framing;
  private final boolean keepAlive;
  private final Consumer<Boolean> done;

  /** Bytes left in the body (LENGTH) or in the current chunk (CHUNKED). */
  private long remaining;

  private boolean ended;
  private boolean released;

  /**
   * @param done called once with whether the connection can be reused: at the body's end, on close,
   *     or on a failed read
   */
  UpstreamAnswerBody(UpstreamConnection connection, UpstreamAnswerHead head, Consumer<Boolean> done)
      throws IOException {
    this.connection = connection;
    this.framing = head.framing();
    this.keepAlive = head.keepAlive();
    this.done = done;
    this.remaining = head.framing() == UpstreamAnswerHead.Framing.LENGTH ? head.length() : 0;
    if (framing == UpstreamAnswerHead.Framing.NONE
        || (framing == UpstreamAnswerHead.Framing.LENGTH && remaining == 0)) {
      end();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] to, int offset, int length) throws IOException {
    if (ended || released) {
      return -1;
    }
    if (length == 0) {
      return 0;
    }
    try {
      return switch (framing) {
        case LENGTH -> readLength(to, offset, length);
        case CHUNKED -> readChunked(to, offset, length);
        case CLOSE -> readToClose(to, offset, length);
        case NONE -> -1;
      };
    } catch (IOException e) {
      release(false);
      throw e;
    }
  }

  private int readLength(byte[] to, int offset, int length) throws IOException {
    int n = connection.read(to, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new IOException("the store closed the connection with " + remaining + " bytes unsent");
    }
    remaining -= n;
    if (remaining == 0) {
      end();
    }
    return n;
  }

  private int readChunked(byte[] to, int offset, int length) throws IOException {
    if (remaining == 0) {
      remaining = chunkSize();
      if (remaining == 0) {
        skipTrailers();
        end();
        return -1;
      }
    }
    int n = connection.read(to, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new IOException("the store closed the connection inside a chunk");
    }
    remaining -= n;
    if (remaining == 0) {
      int[] budget = {2};
      if (!UpstreamAnswerHead.line(connection, budget).isEmpty()) {
        throw new IOException("the store's chunk is longer than its size");
      }
    }
    return n;
  }

  private long chunkSize() throws IOException {
    int[] budget = {MAX_CHUNK_LINE};
    String line;
    try {
      line = UpstreamAnswerHead.line(connection, budget);
    } catch (UpstreamAnswerHead.TooLarge e) {
      throw new IOException("the store's chunk size line is over " + MAX_CHUNK_LINE + " bytes", e);
    }
    int semicolon = line.indexOf(';'); // chunk extensions: dropped
    String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
    if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(UpstreamAnswerBody::isHex)) {
      throw new IOException("the store's answer has a malformed chunk size");
    }
    try {
      return Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("the store's answer has a malformed chunk size", e);
    }
  }

  private void skipTrailers() throws IOException {
    int[] budget = {UpstreamAnswerHead.MAX_HEAD_BYTES};
    while (!UpstreamAnswerHead.line(connection, budget).isEmpty()) {
      // A trailer field: the gateway passes no trailers on.
    }
  }

  private int readToClose(byte[] to, int offset, int length) throws IOException {
    int n = connection.read(to, offset, length);
    if (n < 0) {
      end();
    }
    return n;
  }

  private void end() {
    ended = true;
    release(keepAlive && framing != UpstreamAnswerHead.Framing.CLOSE);
  }

  private void release(boolean reusable) {
    if (!released) {
      released = true;
      done.accept(reusable);
    }
  }

  @Override
  public void close() {
    release(
        false); // a no-op after the end; before it, the unread rest makes the connection unusable
  }

  /** Hex digits only: {@code Long.parseLong} also takes a sign. */
  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
