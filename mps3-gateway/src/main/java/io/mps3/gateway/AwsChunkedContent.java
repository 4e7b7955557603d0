package io.mps3.gateway;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * A chunked upload's decoded body on its way upstream: reads the caller's {@code aws-chunked} bytes
 * as the store's connection takes them, feeds them to an {@link AwsChunkedDecoder}, and hands on
 * only what it has checked. If the body fails a check (or the caller's body ends early) the source
 * fails with {@link AwsChunkedDecoder.Refused} while the store still lacks the body's last bytes,
 * so the upstream request is aborted short of its Content-Length and nothing is stored. Read by one
 * thread at a time, as {@link Content.Source} requires; no thread blocks on the caller.
 */
final class AwsChunkedContent implements Content.Source {

  private final Content.Source body;
  private final AwsChunkedDecoder decoder;
  private final ArrayDeque<ByteBuffer> ready = new ArrayDeque<>();
  private Content.@Nullable Chunk failure;

  AwsChunkedContent(Content.Source body, AwsChunkedDecoder decoder) {
    this.body = body;
    this.decoder = decoder;
  }

  @Override
  public Content.@Nullable Chunk read() {
    while (true) {
      if (failure != null) {
        return failure;
      }
      ByteBuffer next = ready.poll();
      if (next != null) {
        return Content.Chunk.from(next, decoder.finished() && ready.isEmpty());
      }
      if (decoder.finished()) {
        return Content.Chunk.EOF;
      }
      Content.Chunk chunk = body.read();
      if (chunk == null) {
        return null;
      }
      if (Content.Chunk.isFailure(chunk)) {
        return chunk;
      }
      boolean last = chunk.isLast();
      try {
        decoder.feed(chunk.getByteBuffer(), ready::add);
      } catch (AwsChunkedDecoder.Refused e) {
        return fail(e);
      } finally {
        chunk.release(); // the decoder copied what it keeps
      }
      if (last && !decoder.finished()) {
        return fail(
            new AwsChunkedDecoder.Refused(
                400, "IncompleteBody", "the chunked body ended before its final chunk"));
      }
    }
  }

  private Content.Chunk fail(AwsChunkedDecoder.Refused refused) {
    ready.clear();
    Content.Chunk failed = Content.Chunk.from(refused, true);
    failure = failed;
    return failed;
  }

  @Override
  public void demand(Runnable demandCallback) {
    if (failure != null || !ready.isEmpty() || decoder.finished()) {
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
