package io.mps3.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One request and its answer on a {@link BlockingServer} connection. A whole answer goes out in one
 * write (head and body in the connection's buffer, then one flush). The server adds no {@code
 * Server} or {@code Date} header; it adds {@code Connection: close} when the connection ends after
 * this answer, and frames a streamed body itself (a handler's {@code Transfer-Encoding} is
 * dropped).
 */
final class BlockingExchange implements Exchange {

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final RequestHead head;
  private final RequestBody body;
  private final OutputStream out;
  private final String remoteAddress;
  private final BooleanSupplier serverClosing;
  private final AnswerHead answer = new AnswerHead();

  private boolean committed;
  private boolean continueSent;
  private boolean closeAfter;
  private boolean broken;
  private @Nullable AnswerBodyOutput streaming;

  BlockingExchange(
      RequestHead head,
      ConnectionInput in,
      OutputStream out,
      String remoteAddress,
      BooleanSupplier serverClosing) {
    this.head = head;
    this.out = out;
    this.remoteAddress = remoteAddress;
    this.serverClosing = serverClosing;
    this.body = new RequestBody(in, head, head.expectsContinue() ? this::sendContinue : null);
  }

  @Override
  public IncomingRequest request() {
    return head.request();
  }

  @Override
  public RequestBody body() {
    return body;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public void setHeader(String name, String value) {
    answer.set(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    answer.add(name, value);
  }

  @Override
  public boolean committed() {
    return committed;
  }

  @Override
  public void reset() {
    if (committed) {
      throw new IllegalStateException("the answer's head has already gone out");
    }
    answer.clear();
  }

  @Override
  public void respond(int status, byte[] bytes) throws IOException {
    boolean sendsBody = startAnswer(status);
    if (status != 204) {
      String declared = answer.get("Content-Length");
      if (declared == null && status != 304) {
        answer.set("Content-Length", Integer.toString(bytes.length));
      } else if (declared != null && sendsBody && ContentLength.parse(declared) != bytes.length) {
        throw new IllegalStateException("a Content-Length that is not the body's length");
      }
    }
    byte[] headBytes = commit(status);
    try {
      out.write(headBytes);
      if (sendsBody) {
        out.write(bytes);
      }
      out.flush();
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  @Override
  public OutputStream respondStreaming(int status) throws IOException {
    boolean sendsBody = startAnswer(status);
    String declared = status == 204 ? null : answer.get("Content-Length");
    AnswerBodyOutput.Framing framing;
    long length = -1;
    if (!sendsBody) {
      framing = AnswerBodyOutput.Framing.NONE;
    } else if (declared != null) {
      framing = AnswerBodyOutput.Framing.LENGTH;
      length = ContentLength.parse(declared);
    } else if (head.http11()) {
      framing = AnswerBodyOutput.Framing.CHUNKED;
      answer.set("Transfer-Encoding", "chunked");
    } else {
      framing = AnswerBodyOutput.Framing.CLOSE;
      closeAfter = true;
    }
    byte[] headBytes = commit(status);
    try {
      out.write(headBytes); // sent with the body's first bytes, or at its first flush
    } catch (IOException e) {
      broken = true;
      throw e;
    }
    AnswerBodyOutput stream = new AnswerBodyOutput(out, framing, length);
    streaming = stream;
    return stream;
  }

  /**
   * Checks that no answer went out yet and drops what the server frames itself.
   *
   * @return whether the answer carries a body
   */
  private boolean startAnswer(int status) {
    if (committed) {
      throw new IllegalStateException("the answer's head has already gone out");
    }
    if (status < 200 || status > 999) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    answer.remove("Transfer-Encoding");
    boolean sendsBody = status != 204 && status != 304 && !head.request().method().equals("HEAD");
    oneContentLength(status, sendsBody);
    return sendsBody;
  }

  /**
   * Leaves at most one {@code Content-Length}: equal values (a store may send two) become one. With
   * a body, values that differ or are not digits fail the answer (a 500 before anything is sent);
   * without one (HEAD, 304) they are dropped, since they frame nothing. A 204 has none.
   */
  private void oneContentLength(int status, boolean sendsBody) {
    List<String> lengths = answer.all("Content-Length");
    if (lengths.isEmpty()) {
      return;
    }
    String first = lengths.get(0);
    boolean agree = status != 204 && ContentLength.parse(first) >= 0;
    for (String length : lengths) {
      agree &= length.equals(first);
    }
    if (agree) {
      answer.set("Content-Length", first);
    } else if (sendsBody) {
      throw new IllegalStateException("Content-Length values that differ or are not digits");
    } else {
      answer.remove("Content-Length");
    }
  }

  /** Fixes whether the connection closes after this answer, and encodes the head. */
  private byte[] commit(int status) {
    closeAfter |=
        head.wantsClose() || serverClosing.getAsBoolean() || answer.hasToken("Connection", "close");
    if (closeAfter) {
      answer.set("Connection", "close");
    }
    committed = true;
    return answer.encode(status);
  }

  /** Sends {@code 100 Continue}, before the body's first read, unless the answer has begun. */
  private void sendContinue() throws IOException {
    if (committed) {
      return;
    }
    try {
      out.write(CONTINUE);
      out.flush();
      continueSent = true;
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  /**
   * Sends one of the server's own whole answers (head and body) in place of the handler's, which
   * gave none; the connection ends after it.
   */
  void answerInstead(byte[] whole) throws IOException {
    if (committed) {
      throw new IllegalStateException("the answer's head has already gone out");
    }
    committed = true;
    closeAfter = true;
    try {
      out.write(whole);
      out.flush();
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  /** Whether the answer was cut short or a write failed: the connection can only be closed. */
  boolean broken() {
    return broken;
  }

  /** Whether {@code 100 Continue} went out: else a caller that expects it has sent no body. */
  boolean continueSent() {
    return continueSent;
  }

  /**
   * Ends the answer after the handler returned: a streamed body left open is closed (a short one
   * makes the connection unusable).
   *
   * @return false when the handler gave no answer at all
   */
  boolean finish() throws IOException {
    if (!committed) {
      return false;
    }
    AnswerBodyOutput stream = streaming;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        broken = true;
        throw e;
      }
    }
    return true;
  }

  /** Ends a committed answer cut short (the handler failed): the connection must close. */
  void abandon() {
    broken = true;
    AnswerBodyOutput stream = streaming;
    if (stream != null) {
      stream.abandon();
    }
  }

  /**
   * Whether the connection can carry another request after this answer, as far as the answer and
   * the body's reads go (an unread body's rest is the connection's to drain).
   */
  boolean reusable() {
    AnswerBodyOutput stream = streaming;
    return committed
        && !closeAfter
        && !broken
        && !body.failed()
        && (stream == null || stream.reusable());
  }
}
