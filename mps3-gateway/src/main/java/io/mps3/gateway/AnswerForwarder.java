package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;

/**
 * Writes the store's answer to the caller: its status, its headers but hop-by-hop ones and CORS
 * (the gateway's own), and its body. A body of known length up to {@link #WHOLE_BODY_BYTES} is read
 * whole and written with its headers in one write; a larger or chunked body is streamed, never
 * buffered whole. Stateless.
 */
final class AnswerForwarder {

  /** A body up to this size, of known length, is written in one write. */
  static final int WHOLE_BODY_BYTES = 64 * 1024;

  /** Headers never copied from the store's answer: hop-by-hop. */
  private static final Set<String> NOT_PASSED_BACK =
      Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade");

  private AnswerForwarder() {}

  /**
   * A small answer of the store broke off before any of it was passed on (status and headers
   * included): the caller can still get an error.
   */
  static final class BrokenAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    BrokenAnswer(IOException cause) {
      super("the store's answer broke off: " + cause.getMessage(), cause);
    }
  }

  /**
   * Writes {@code answer} to {@code exchange}; the caller closes the answer's body.
   *
   * @throws BrokenAnswer when a small answer's body broke off: nothing of it was written
   */
  static void forward(Upstream.Answer answer, Exchange exchange) throws IOException {
    // A chunked answer's Content-Length (if the store sent both) does not frame what we send.
    boolean chunked = answer.headers().contains("transfer-encoding");
    InputStream from = answer.body();
    long length = chunked ? -1 : ContentLength.parse(answer.headers().get("content-length"));
    byte[] whole = null;
    if (length >= 0 && length <= WHOLE_BODY_BYTES) {
      try { // read before the response is touched: if it breaks off, the caller gets an error
        whole = from.readNBytes((int) length); // fewer for HEAD, 204 and 304: no body
      } catch (IOException e) {
        throw new BrokenAnswer(e);
      }
    }
    for (HttpField field : answer.headers()) {
      String lower = field.getLowerCaseName();
      if (!NOT_PASSED_BACK.contains(lower)
          && !lower.startsWith("access-control-")
          && !(chunked && lower.equals("content-length"))) {
        exchange.addHeader(field.getName(), field.getValue());
      }
    }
    if (whole != null) {
      exchange.respond(answer.status(), whole);
      return;
    }
    try (OutputStream to = exchange.respondStreaming(answer.status())) {
      from.transferTo(to);
    }
  }
}
