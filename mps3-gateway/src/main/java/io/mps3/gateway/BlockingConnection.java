package io.mps3.gateway;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One caller's connection to a {@link BlockingServer}, served on its own thread: the TLS handshake
 * (under a deadline), then requests one after another (keep-alive, pipelining) until either side
 * closes, a time limit passes, or an answer ends the connection.
 *
 * <p>After each answer, a body the handler left unread is drained (at most {@link #DRAIN_BYTES} for
 * at most {@link #DRAIN_NANOS}), so a caller still sending it reads the answer instead of a reset;
 * a caller that expects {@code 100 Continue} and was not sent one has sent no body, and the
 * connection just closes. Every close after an answer the caller may still be sending toward is a
 * lingering one: our side is shut first, then what still arrives is read and dropped, within the
 * same bounds.
 */
final class BlockingConnection implements Runnable {

  private static final System.Logger LOG = System.getLogger(BlockingConnection.class.getName());

  /** The most of an unread body drained after an answer. */
  static final long DRAIN_BYTES = 1024 * 1024;

  /** The longest an unread body is drained after an answer. */
  static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Big enough for a 64 KiB body and its head in one write. */
  private static final int OUTPUT_BUFFER = 80 * 1024;

  private static final int INPUT_BUFFER = 16 * 1024;

  private final BlockingServer server;
  private final Socket socket;
  private final ExchangeHandler handler;
  private final BlockingServer.Timeouts timeouts;

  /** Waiting for a request (or in its TLS handshake): the server's close may close it at once. */
  private boolean idle = true; // guarded by this

  /** Since when it waits for a request, for choosing the one to close when all threads are busy. */
  private long idleSince = System.nanoTime(); // guarded by this

  /** The socket's output, once the connection is served: its writes are watched for stalls. */
  private volatile @Nullable TimedSocketOutput output;

  BlockingConnection(
      BlockingServer server,
      Socket socket,
      ExchangeHandler handler,
      BlockingServer.Timeouts timeouts) {
    this.server = server;
    this.socket = socket;
    this.handler = handler;
    this.timeouts = timeouts;
  }

  @Override
  public void run() {
    try {
      socket.setTcpNoDelay(true);
      if (socket instanceof SSLSocket tls) {
        handshake(tls);
      }
      ConnectionInput in = new ConnectionInput(socket, socket.getInputStream(), INPUT_BUFFER);
      TimedSocketOutput timed = new TimedSocketOutput(socket.getOutputStream());
      output = timed;
      OutputStream out = new BufferedOutputStream(timed, OUTPUT_BUFFER);
      if (serve(in, out)) {
        lingeringClose(in, out);
      }
    } catch (IOException e) {
      // The caller closed or reset the connection, or a time limit passed: it just ends.
      LOG.log(Level.DEBUG, () -> "connection ended: " + e);
    } finally {
      TimedSocketOutput timed = output;
      if (timed == null) {
        closeNow();
      } else {
        timed.watching(this::closeNow); // over TLS, closing writes a close notice
      }
      server.forget(this);
    }
  }

  /** The TLS handshake, on this thread, bounded as a whole (each read alone would not be). */
  private void handshake(SSLSocket tls) throws IOException {
    long millis = timeouts.handshake().toMillis();
    ScheduledFuture<?> guard =
        server.watchdog().schedule(this::abort, millis, TimeUnit.MILLISECONDS);
    try {
      tls.setSoTimeout((int) millis);
      tls.startHandshake();
    } finally {
      guard.cancel(false);
    }
  }

  /**
   * Serves requests until the connection ends.
   *
   * @return whether to close lingering (the caller may still be sending) rather than at once
   */
  private boolean serve(ConnectionInput in, OutputStream out) throws IOException {
    String remote = remoteAddress();
    while (true) {
      in.perRead((int) timeouts.idle().toMillis());
      if (!in.awaitByte() || !begin()) {
        return false;
      }
      in.deadlineIn(timeouts.head().toNanos());
      RequestHead head;
      try {
        head = RequestHead.read(in);
      } catch (RequestRefusal refusal) {
        out.write(ServerErrorAnswer.of(refusal.status(), refusal.reason()));
        return true;
      } catch (SocketTimeoutException e) {
        out.write(ServerErrorAnswer.of(408, "the request head did not arrive in time"));
        return true;
      }
      in.perRead((int) timeouts.body().toMillis());
      BlockingExchange exchange = new BlockingExchange(head, in, out, remote, server::closing);
      boolean handled = handle(exchange);
      if (exchange.broken()) {
        return false; // cut short, or the caller went away: nothing more to say on it
      }
      RequestBody body = exchange.body();
      if (!body.ended()) {
        if (head.expectsContinue() && !exchange.continueSent()) {
          return true; // the caller sends no body now; if its wait ran out, the linger reads it
        }
        if (!body.drain(DRAIN_BYTES, DRAIN_NANOS)) {
          return false; // still sending after the bound: a reset cannot be helped
        }
      }
      if (!handled || !exchange.reusable() || !end()) {
        return false;
      }
    }
  }

  /**
   * Runs the handler and ends its answer: a 500 when it failed or gave none before answering, a cut
   * connection when it failed after.
   *
   * @return whether the answer went out whole
   */
  private boolean handle(BlockingExchange exchange) throws IOException {
    try {
      handler.handle(exchange);
      if (exchange.finish()) {
        return true;
      }
      LOG.log(Level.WARNING, "the gateway's handler returned without answering");
    } catch (Exception e) {
      if (exchange.committed()) {
        LOG.log(Level.DEBUG, () -> "an answer was cut short: " + e);
        exchange.abandon();
        return false;
      }
      LOG.log(Level.WARNING, "the gateway's handler failed: " + e, e);
    }
    exchange.answerInstead(
        ServerErrorAnswer.of(500, "We encountered an internal error. Please try again."));
    return false;
  }

  /** Starts a request: false when the server is closing (the connection then ends). */
  private synchronized boolean begin() {
    if (server.closing()) {
      return false;
    }
    idle = false;
    return true;
  }

  /** Ends a request: false when the server is closing (the connection then ends). */
  private synchronized boolean end() {
    idle = true;
    idleSince = System.nanoTime();
    return !server.closing();
  }

  /** Since when it has waited for a request, or {@link Long#MAX_VALUE} while it serves one. */
  synchronized long idleSince() {
    return idle ? idleSince : Long.MAX_VALUE;
  }

  /**
   * Cuts the connection if a write to the caller has been blocked for longer than {@code
   * limitNanos}: a caller that stops reading must not hold a thread for ever.
   */
  void abortIfStalled(long now, long limitNanos) {
    TimedSocketOutput timed = output;
    if (timed != null && timed.stalled(now, limitNanos)) {
      LOG.log(Level.DEBUG, "a caller stopped reading its answer: the connection is cut");
      abort();
    }
  }

  /** Closes the connection if it is waiting for a request; a busy one ends after its answer. */
  synchronized void closeIfIdle() {
    if (idle) {
      closeNow();
    }
  }

  /** Closes the socket, whatever the connection is doing: its thread's next read or write fails. */
  void closeNow() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket only fails when it is already broken.
    }
  }

  /**
   * Closes the socket with a reset, without a TLS close notice: a thread blocked in a write holds
   * the TLS socket's write lock, which a graceful close would wait for (for ever, if the caller
   * never reads). For connections cut short, never after a complete answer.
   */
  void abort() {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Already closed: the close below is then a no-op.
    }
    closeNow();
  }

  /**
   * Sends what is buffered, shuts our side (the caller reads our answer, then its end), and reads
   * and drops what still arrives until the caller closes too, within the drain bounds: closing with
   * unread bytes would send a reset, which can destroy the answer before the caller reads it.
   */
  private void lingeringClose(ConnectionInput in, OutputStream out) throws IOException {
    out.flush();
    if (!(socket instanceof SSLSocket)) { // TLS has no half-close before 1.3: its close says it
      socket.shutdownOutput();
    }
    in.deadlineIn(DRAIN_NANOS);
    try {
      for (long dropped = 0; dropped <= DRAIN_BYTES && in.awaitByte(); ) {
        int n = in.buffered();
        dropped += in.skip(n);
      }
    } catch (IOException e) {
      // Still sending after the bound, or gone: close now.
    }
  }

  private String remoteAddress() {
    SocketAddress address = socket.getRemoteSocketAddress();
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }
}
