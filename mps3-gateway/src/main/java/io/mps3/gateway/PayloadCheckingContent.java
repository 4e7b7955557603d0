package io.mps3.gateway;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * A request body on its way upstream, read chunk by chunk from the caller's connection as the
 * store's connection takes it, whose signed SHA-256 is checked as it passes: the same check as
 * {@link PayloadCheckingStream}, without an {@code InputStream} between the two connections (no
 * thread blocks on a read, no copy). The check happens before the chunk that completes the body is
 * handed on: if the body does not match, or ends before its Content-Length, the source fails with
 * {@link PayloadCheckingStream.Mismatch} instead, while the upstream still lacks at least one byte
 * of the length it was promised, so it never stores the body. Read by one thread at a time, as
 * {@link Content.Source} requires.
 */
final class PayloadCheckingContent implements Content.Source {

  private final Content.Source body;
  private final MessageDigest digest = SigV4.sha256();
  private final String expectedHex;
  private long remaining;
  private boolean checked;
  private Content.@Nullable Chunk failure;

  PayloadCheckingContent(Content.Source body, long length, String expectedHex) {
    this.body = body;
    this.remaining = length;
    this.expectedHex = expectedHex;
  }

  @Override
  public Content.@Nullable Chunk read() {
    if (failure != null) {
      return failure;
    }
    Content.Chunk chunk = body.read();
    if (chunk == null || Content.Chunk.isFailure(chunk)) {
      return chunk;
    }
    ByteBuffer bytes = chunk.getByteBuffer();
    int n = bytes.remaining();
    if (n > remaining) {
      return fail(chunk, "the body is longer than its Content-Length");
    }
    if (checked) {
      return chunk; // the end of the body, empty
    }
    digest.update(bytes.slice());
    remaining -= n;
    if (remaining == 0) {
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(expectedHex)) {
        return fail(chunk, "the body's SHA-256 is not the x-amz-content-sha256 that was signed");
      }
      checked = true;
    } else if (chunk.isLast()) {
      return fail(chunk, "the body ended " + remaining + " bytes before its Content-Length");
    }
    return chunk;
  }

  private Content.Chunk fail(Content.Chunk chunk, String why) {
    chunk.release();
    Content.Chunk failed = Content.Chunk.from(new PayloadCheckingStream.Mismatch(why), true);
    failure = failed;
    return failed;
  }

  @Override
  public void demand(Runnable demandCallback) {
    if (failure != null) {
      demandCallback.run();
    } else {
      body.demand(demandCallback);
    }
  }

  @Override
  public void fail(Throwable cause) {
    body.fail(cause);
  }
}
