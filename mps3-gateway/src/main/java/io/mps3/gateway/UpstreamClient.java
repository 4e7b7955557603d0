package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 client for the one store behind the gateway, on blocking sockets: the handler thread
 * that checked a request writes it (request line and headers in one write with the start of the
 * body) and reads the answer's head itself, with no hand-off to another thread (what Jetty's
 * HttpClient cost: design 0014, "The upstream client"). Connections are kept alive and pooled.
 *
 * <p>A pooled connection the store closed while idle is found before use and dropped. A reused
 * connection that still fails before any byte of the answer arrived is taken for one the store
 * closed meanwhile: the exchange is tried once more on a new connection, if the body can be sent
 * again (none, or held); a request whose streamed body was already partly sent fails instead. A
 * write blocked longer than the response timeout (a store that stopped reading) is ended by an
 * {@link UpstreamWriteWatchdog} closing the connection; like a read timeout, it is not retried. A
 * write that fails because the store answered early and closed (a 403 before reading the body)
 * passes that answer back. Thread-safe; {@link #close} closes every idle connection, and each busy
 * one when it comes back.
 */
final class UpstreamClient implements AutoCloseable {

  /** A body up to this size is read whole before sending: one write, and sendable again. */
  static final int HELD_BODY_BYTES = 64 * 1024;

  private static final int WRITE_BUFFER = 64 * 1024;

  /**
   * How long a failed write waits for an answer the store sent before it stopped reading: such an
   * answer is already on the connection (or the connection is gone), so this rarely waits at all.
   */
  private static final Duration EARLY_ANSWER_WAIT = Duration.ofSeconds(1);

  private final String host;
  private final int port;
  private final @Nullable SSLSocketFactory tls;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Duration idleTimeout;
  private final int maxIdle;
  private final Deque<UpstreamConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final UpstreamWriteWatchdog watchdog;
  private volatile boolean closed;

  /**
   * @param endpoint the store's {@code http} or {@code https} endpoint
   * @param responseTimeout the longest the store may stall an exchange: stay silent when an answer
   *     is awaited, or leave one write of the request (at most 64 KiB) blocked
   * @param idleTimeout the longest a connection stays pooled unused
   * @param maxIdle the most connections pooled
   */
  UpstreamClient(
      URI endpoint,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration idleTimeout,
      int maxIdle) {
    this(
        endpoint,
        connectTimeout,
        responseTimeout,
        idleTimeout,
        maxIdle,
        (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** A client whose https connections trust what {@code tls} trusts. */
  UpstreamClient(
      URI endpoint,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration idleTimeout,
      int maxIdle,
      SSLSocketFactory tls) {
    boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() >= 0 ? endpoint.getPort() : https ? 443 : 80;
    this.tls = https ? tls : null;
    this.connectTimeout = connectTimeout;
    this.responseTimeout = responseTimeout;
    this.idleTimeout = idleTimeout;
    this.maxIdle = maxIdle;
    this.watchdog = new UpstreamWriteWatchdog(responseTimeout);
  }

  /**
   * Whether a request may be sent a second time when a kept-alive connection failed under it:
   * reads, and unconditional PUTs and DELETEs (idempotent). Not POSTs and not conditional writes,
   * which the store may have carried out before the connection failed.
   */
  static boolean repeatable(String method, List<Map.Entry<String, String>> headers) {
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    if (!method.equals("PUT") && !method.equals("DELETE")) {
      return false;
    }
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("if-")) {
        return false;
      }
    }
    return true;
  }

  /** The store's answer: status and headers read, body to be read. */
  record Exchange(UpstreamAnswerHead head, InputStream body) {}

  /**
   * Sends one request and reads the head of its answer.
   *
   * @param target the request target: path and query, encoded
   * @param headers the request's headers in order, {@code Host} included, no framing headers
   * @param body the body, or null for none
   * @param length the body's length (sent as {@code Content-Length}; 0 without a body)
   */
  Exchange send(
      String method,
      String target,
      List<Map.Entry<String, String>> headers,
      @Nullable InputStream body,
      long length)
      throws IOException {
    if (closed) {
      throw new IOException("the gateway's upstream client is stopped");
    }
    StringBuilder text = new StringBuilder(512);
    text.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    for (Map.Entry<String, String> header : headers) {
      text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    if (length > 0 || method.equals("PUT") || method.equals("POST")) {
      text.append("Content-Length: ").append(length).append("\r\n");
    }
    text.append("\r\n");
    byte[] head = text.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] held = null;
    if (body != null && length > 0 && length <= HELD_BODY_BYTES) {
      held = body.readNBytes((int) length);
      if (held.length < length) {
        throw new IOException("the request body ended " + (length - held.length) + " bytes short");
      }
    }
    boolean headOnly = method.equals("HEAD");
    for (int attempt = 0; ; attempt++) {
      UpstreamConnection connection = acquire(attempt > 0);
      boolean reused = connection.idleSince() != 0;
      try {
        connection.readTimeout(responseTimeout);
        try {
          write(connection, head, held, held == null ? body : null, length);
        } catch (BodyFailed e) {
          throw e;
        } catch (IOException e) {
          if (connection.writeStalled()) {
            throw new WriteStalled(responseTimeout, e);
          }
          Exchange early = earlyAnswer(connection, headOnly, e);
          if (early != null) {
            return early; // the store's own answer, not sent again whatever it says
          }
          throw e;
        }
        if (!connection.answerStarts()) {
          throw new IOException("the store closed the connection without answering");
        }
      } catch (BodyFailed e) {
        connection.close(); // the store is left short of the promised length: it stores nothing
        throw e;
      } catch (IOException e) {
        connection.close();
        if (!reused || attempt > 0 || closed || UpstreamConnection.timedOut(e)) {
          throw e;
        }
        if (!repeatable(method, headers)) {
          // The store may have carried it out before the connection failed: a conditional
          // write sent again would answer 412 for a write that landed. The caller decides.
          throw e;
        }
        if (body != null && held == null && length > 0) {
          throw new IOException(
              "a kept-alive connection to the store failed after the streamed request body was"
                  + " read, so it is not sent again: "
                  + e,
              e);
        }
        continue; // a kept-alive connection the store had closed: once more on a new one
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
      UpstreamAnswerHead answer;
      try {
        answer = UpstreamAnswerHead.read(connection, headOnly);
      } catch (IOException e) {
        connection.close();
        throw e;
      }
      return new Exchange(
          answer,
          new UpstreamAnswerBody(connection, answer, reusable -> release(connection, reusable)));
    }
  }

  /**
   * After a failed write: the answer the store sent before it stopped reading the body (an early
   * 403 or 413, after which it closed the connection), if one is on the connection, passed back as
   * it is on a connection never reused; null if there is none.
   */
  private @Nullable Exchange earlyAnswer(
      UpstreamConnection connection, boolean headOnly, IOException failed) {
    try {
      connection.readTimeout(
          EARLY_ANSWER_WAIT.compareTo(responseTimeout) < 0 ? EARLY_ANSWER_WAIT : responseTimeout);
      if (!connection.answerStarts()) {
        return null;
      }
      connection.readTimeout(responseTimeout);
      UpstreamAnswerHead answer = UpstreamAnswerHead.read(connection, headOnly);
      return new Exchange(
          answer, new UpstreamAnswerBody(connection, answer, reusable -> connection.close()));
    } catch (IOException e) {
      failed.addSuppressed(e);
      return null;
    }
  }

  /**
   * One write of the request stayed blocked for the whole timeout (the store stopped reading it):
   * the watchdog closed the connection. A timeout, so never sent again.
   */
  static final class WriteStalled extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    WriteStalled(Duration timeout, IOException cause) {
      super(
          "a write of the request to the store was blocked for "
              + timeout.toMillis()
              + " ms (the store stopped reading it), so the connection was closed");
      initCause(cause);
    }
  }

  /** Reading the request body failed (not the connection): the cause says why. */
  private static final class BodyFailed extends IOException {
    private static final long serialVersionUID = 1L;

    BodyFailed(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /** Writes the request: head, then body, in as few writes as the buffer allows. */
  private static void write(
      UpstreamConnection out,
      byte[] head,
      byte @Nullable [] held,
      @Nullable InputStream streamed,
      long length)
      throws IOException {
    if (held != null) {
      byte[] message = new byte[head.length + held.length];
      System.arraycopy(head, 0, message, 0, head.length);
      System.arraycopy(held, 0, message, head.length, held.length);
      out.write(message, 0, message.length);
      return;
    }
    if (streamed == null || length == 0) {
      out.write(head, 0, head.length);
      return;
    }
    byte[] buffer = new byte[Math.max(WRITE_BUFFER, head.length)];
    System.arraycopy(head, 0, buffer, 0, head.length);
    int filled = head.length;
    long left = length;
    while (left > 0) {
      int n;
      try {
        n = streamed.read(buffer, filled, (int) Math.min(buffer.length - filled, left));
      } catch (IOException e) {
        throw new BodyFailed("reading the request body failed: " + e.getMessage(), e);
      }
      if (n < 0) {
        throw new BodyFailed("the request body ended " + left + " bytes short", null);
      }
      filled += n;
      left -= n;
      if (filled == buffer.length || left == 0) {
        out.write(buffer, 0, filled);
        filled = 0;
      }
    }
  }

  /** A pooled connection still open, or a new one. */
  private UpstreamConnection acquire(boolean fresh) throws IOException {
    long now = System.nanoTime();
    for (UpstreamConnection pooled; !fresh && (pooled = idle.pollFirst()) != null; ) {
      if (now - pooled.idleSince() < idleTimeout.toNanos() && pooled.idleAndOpen()) {
        return pooled;
      }
      pooled.close();
    }
    UpstreamConnection connection = UpstreamConnection.open(host, port, tls, connectTimeout);
    watchdog.watch(connection);
    opened.incrementAndGet();
    return connection;
  }

  private void release(UpstreamConnection connection, boolean reusable) {
    if (!reusable || closed || idle.size() >= maxIdle) {
      connection.close();
      return;
    }
    long now = System.nanoTime();
    connection.idle(now == 0 ? 1 : now); // 0 means never pooled
    idle.offerFirst(connection); // the most recently used goes first: least likely closed
    if (closed && idle.remove(connection)) {
      connection.close(); // stopped meanwhile
    }
    // Connections idle past the timeout sit at the back: closed here rather than on a timer.
    for (Iterator<UpstreamConnection> oldest = idle.descendingIterator(); oldest.hasNext(); ) {
      UpstreamConnection old = oldest.next();
      if (now - old.idleSince() < idleTimeout.toNanos()) {
        break;
      }
      if (idle.removeLastOccurrence(old)) {
        old.close();
      }
    }
  }

  /** Connections opened so far (what the tests count to see reuse). */
  int opened() {
    return opened.get();
  }

  @Override
  public void close() {
    closed = true;
    watchdog.close(); // a write still in progress is then bounded by TCP alone
    for (UpstreamConnection connection; (connection = idle.pollFirst()) != null; ) {
      connection.close();
    }
  }
}
