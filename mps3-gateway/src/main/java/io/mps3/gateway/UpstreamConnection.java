package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One kept-alive HTTP/1.1 connection to the store, used by one exchange at a time: a blocking
 * socket (TLS over it for https) with its own read buffer, so the answer's head is parsed byte by
 * byte without a lock or a call per byte. While pooled it can be asked whether the store closed it
 * ({@link #idleAndOpen}), which a non-blocking read of the plain channel answers without waiting.
 */
final class UpstreamConnection implements AutoCloseable {

  private static final int BUFFER = 16 * 1024;

  private final SocketChannel channel;
  private final Socket socket;
  private final InputStream rawIn;
  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER];
  private int position;
  private int limit;
  private long idleSince;

  /**
   * When the write in progress began ({@link System#nanoTime}, never 0), or 0 between writes. The
   * watchdog claims a stalled write by swapping its start for 0 itself, so it never closes a
   * connection under a write that has ended meanwhile (the connection maybe pooled and reused).
   */
  private final AtomicLong writingSince = new AtomicLong();

  private volatile boolean writeStalled;

  private UpstreamConnection(SocketChannel channel, Socket socket) throws IOException {
    this.channel = channel;
    this.socket = socket;
    this.rawIn = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Opens a connection; for https the store's certificate must be trusted by the JVM and name the
   * host ({@code HTTPS} endpoint identification; the JDK sends the host name as SNI).
   */
  static UpstreamConnection open(
      String host, int port, @Nullable SSLSocketFactory tls, Duration connectTimeout)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      Socket plain = channel.socket();
      plain.setTcpNoDelay(true);
      plain.setKeepAlive(true);
      plain.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      if (tls == null) {
        return new UpstreamConnection(channel, plain);
      }
      SSLSocket secure = (SSLSocket) tls.createSocket(plain, host, port, true);
      SSLParameters parameters = secure.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      secure.setSSLParameters(parameters);
      secure.setSoTimeout((int) connectTimeout.toMillis());
      secure.startHandshake();
      return new UpstreamConnection(channel, secure);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** How long a read may wait for the store before the exchange fails. */
  void readTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  /**
   * Writes request bytes. A {@link UpstreamWriteWatchdog} sees how long it has been blocked (a
   * blocking socket has no write timeout of its own) and closes the connection when it has been
   * blocked too long, which ends the write with an exception ({@link #writeStalled}).
   */
  void write(byte[] bytes, int offset, int length) throws IOException {
    long now = System.nanoTime();
    long start = now == 0 ? 1 : now;
    writingSince.set(start);
    try {
      out.write(bytes, offset, length);
    } finally {
      writingSince.compareAndSet(start, 0); // fails only when the watchdog claimed it
    }
  }

  /**
   * Closes the connection if a write has been blocked for at least {@code limitNanos} at {@code
   * now} (the watchdog's check).
   *
   * @return whether it did
   */
  boolean closeIfWriteStalled(long now, long limitNanos) {
    long since = writingSince.get();
    if (since == 0 || now - since < limitNanos || !writingSince.compareAndSet(since, 0)) {
      return false; // no write, a young one, or the write ended (or another began) meanwhile
    }
    writeStalled = true;
    try {
      // The plain channel, not the TLS socket: closing an SSLSocket would try to send close_notify
      // through the very write that is stuck. Closing the channel ends the blocked write at once.
      channel.close();
    } catch (IOException e) {
      // Closed anyway.
    }
    return true;
  }

  /** Whether the watchdog closed this connection under a write the store did not take. */
  boolean writeStalled() {
    return writeStalled;
  }

  /** Whether the connection is still open (the watchdog forgets closed ones). */
  boolean isOpen() {
    return channel.isOpen();
  }

  /** The next byte of the answer, or -1 at its end of stream. */
  int read() throws IOException {
    if (position == limit && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  /** Up to {@code length} bytes of the answer, or -1 at its end of stream. */
  int read(byte[] to, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position == limit) {
      if (length >= BUFFER) {
        return rawIn.read(to, offset, length); // a large read skips the copy
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(length, limit - position);
    System.arraycopy(buffer, position, to, offset, n);
    position += n;
    return n;
  }

  /**
   * Waits for the answer's first byte without taking it: false if the store closed the connection
   * instead of answering (what a connection it closed while pooled does).
   */
  boolean answerStarts() throws IOException {
    return position < limit || fill();
  }

  private boolean fill() throws IOException {
    int n = rawIn.read(buffer, 0, BUFFER);
    if (n < 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  void idle(long nanos) {
    idleSince = nanos;
  }

  long idleSince() {
    return idleSince;
  }

  /**
   * Whether the pooled connection can carry another exchange: nothing left unread, the store has
   * not closed it, and it sent nothing (a store sends no HTTP unasked). Over TLS, bytes that came
   * while idle are read through TLS, since they may be a TLS 1.3 session ticket sent after the
   * answer (a ticket is taken and the connection kept; a {@code close_notify} or data is not); that
   * read waits at most a millisecond, and only when such bytes are there. Otherwise a non-blocking
   * read of the plain channel answers without waiting.
   */
  boolean idleAndOpen() {
    if (position < limit || !channel.isOpen()) {
      return false;
    }
    try {
      if (socket != channel.socket() && channel.socket().getInputStream().available() > 0) {
        return tlsRecordsOnly();
      }
      channel.configureBlocking(false);
      try {
        // 0: nothing came; -1: the store closed; a byte: the store sent something (or, over TLS,
        // began a record just now), and that byte is taken, so the connection is not used either.
        return channel.read(ByteBuffer.allocate(1)) == 0;
      } finally {
        channel.configureBlocking(true);
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads what came over TLS while idle: true if it was TLS housekeeping only (no data, no end).
   */
  private boolean tlsRecordsOnly() throws IOException {
    socket.setSoTimeout(1);
    try {
      return rawIn.read(buffer, 0, BUFFER) == 0;
    } catch (SocketTimeoutException e) {
      return true; // the records were taken and no data followed
    }
  }

  /** Whether an exception is the store being slow, not the connection being gone. */
  static boolean timedOut(IOException e) {
    return e instanceof SocketTimeoutException;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a connection that failed: nothing more to do with it.
    }
    try {
      channel.close();
    } catch (IOException e) {
      // As above.
    }
  }
}
