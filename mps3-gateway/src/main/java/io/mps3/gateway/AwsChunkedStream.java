package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * A chunked upload's decoded body on its way upstream: reads the caller's {@code aws-chunked} bytes
 * as the store's connection takes them, feeds them to an {@link AwsChunkedDecoder}, and hands on
 * only what it has checked. If the body fails a check (or the caller's body ends early) reading
 * fails with {@link AwsChunkedDecoder.Refused} while the store still lacks the body's last bytes,
 * so the upstream request is aborted short of its Content-Length and nothing is stored. Not
 * thread-safe.
 */
final class AwsChunkedStream extends InputStream {

  private final InputStream body;
  private final AwsChunkedDecoder decoder;
  private final ArrayDeque<ByteBuffer> ready = new ArrayDeque<>();
  private final byte[] raw = new byte[16 * 1024];
  private AwsChunkedDecoder.@Nullable Refused failure;

  AwsChunkedStream(InputStream body, AwsChunkedDecoder decoder) {
    this.body = body;
    this.decoder = decoder;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    while (true) {
      if (failure != null) {
        throw failure;
      }
      ByteBuffer next = ready.peek();
      if (next != null) {
        int n = Math.min(length, next.remaining());
        next.get(buffer, offset, n);
        if (!next.hasRemaining()) {
          ready.poll();
        }
        return n;
      }
      if (decoder.finished()) {
        return -1;
      }
      int n = body.read(raw);
      try {
        if (n < 0) {
          throw new AwsChunkedDecoder.Refused(
              400, "IncompleteBody", "the chunked body ended before its final chunk");
        }
        decoder.feed(ByteBuffer.wrap(raw, 0, n), ready::add);
      } catch (AwsChunkedDecoder.Refused e) {
        ready.clear();
        failure = e;
      }
    }
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
