package io.mps3.gateway;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's front server: HTTP/1.1 (and 1.0) on blocking sockets, a thread per connection, no
 * hand-off between a selector and a worker (design 0023: that hand-off is most of what Jetty's
 * server costs on loopback). One acceptor thread; each connection is served by a {@link
 * BlockingConnection} on a pooled thread ({@code mps3-gateway-N}), at most {@code maxConnections}
 * at once. Past that, the connection that has waited longest for a request is closed to make room;
 * when every thread serves a request, a new connection gets a 503 at once from the acceptor (a TLS
 * one is just closed: answering it would mean a handshake on the acceptor). A write to a caller
 * that stays blocked longer than the body timeout (the caller stopped reading) cuts the connection.
 *
 * <p>Requests are read strictly ({@link RequestHead}), their bodies framed by {@link RequestBody},
 * and answered through a {@link BlockingExchange}.
 */
final class BlockingServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BlockingServer.class.getName());

  private static final int BACKLOG = 1024;

  private static final String BUSY = "Please reduce your request rate.";

  private static final long ACCEPT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** How long the acceptor waits for the thread of a connection it closed to make room. */
  private static final long ROOM_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final long ROOM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * The server's time limits.
   *
   * @param idle the longest wait for a request on an open connection
   * @param head the longest a request head may take from its first byte (a deadline for all of it)
   * @param body the longest wait for each read of a request body, and for each write of an answer
   * @param handshake the longest a TLS handshake may take
   * @param grace how long {@link #close} lets requests in flight finish
   */
  record Timeouts(Duration idle, Duration head, Duration body, Duration handshake, Duration grace) {
    static final Timeouts DEFAULT =
        new Timeouts(
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofSeconds(3));
  }

  private final ServerSocket listener;
  private final ExchangeHandler handler;
  private final Timeouts timeouts;
  private final ThreadPoolExecutor connectionThreads;
  private final ScheduledThreadPoolExecutor watchdog;
  private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private BlockingServer(
      ServerSocket listener, ExchangeHandler handler, int maxConnections, Timeouts timeouts) {
    this.listener = listener;
    this.handler = handler;
    this.timeouts = timeouts;
    this.connectionThreads =
        new ThreadPoolExecutor(
            0,
            maxConnections,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads("mps3-gateway-"));
    this.watchdog = new ScheduledThreadPoolExecutor(1, daemonThreads("mps3-gateway-watchdog-"));
    watchdog.setRemoveOnCancelPolicy(true);
    this.acceptor = new Thread(this::accept, "mps3-gateway-acceptor");
    acceptor.setDaemon(true); // join() is what keeps a gateway's main thread waiting
  }

  /**
   * Starts a server.
   *
   * @param host the address to listen on (a name, an IP address, or "0.0.0.0" for all)
   * @param port the port, or 0 for a free one ({@link #localPort})
   * @param tls serves https with this context when not null
   * @param handler what answers each request
   * @param maxConnections the most connections served at once (a thread each)
   */
  static BlockingServer start(
      String host, int port, @Nullable SSLContext tls, ExchangeHandler handler, int maxConnections)
      throws IOException {
    return start(host, port, tls, handler, maxConnections, Timeouts.DEFAULT);
  }

  /** {@link #start(String, int, SSLContext, ExchangeHandler, int)} with other time limits. */
  static BlockingServer start(
      String host,
      int port,
      @Nullable SSLContext tls,
      ExchangeHandler handler,
      int maxConnections,
      Timeouts timeouts)
      throws IOException {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    ServerSocketFactory factory =
        tls == null ? ServerSocketFactory.getDefault() : tls.getServerSocketFactory();
    ServerSocket listener = factory.createServerSocket();
    try {
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(host, port), BACKLOG);
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
    BlockingServer server = new BlockingServer(listener, handler, maxConnections, timeouts);
    long period = Math.max(10, Math.min(1000, timeouts.body().toMillis() / 4));
    ScheduledFuture<?> unused = // it runs until close() stops the watchdog
        server.watchdog.scheduleWithFixedDelay(
            server::cutStalledWrites, period, period, TimeUnit.MILLISECONDS);
    server.acceptor.start();
    return server;
  }

  /** The port it listens on. */
  int localPort() {
    return listener.getLocalPort();
  }

  /** Waits until the server is closed. */
  void join() throws InterruptedException {
    closed.await();
  }

  /** Whether {@link #close} has begun: connections end after their current answer. */
  boolean closing() {
    return closing.get();
  }

  /** Closes the handshake of a TLS connection that takes too long. */
  ScheduledThreadPoolExecutor watchdog() {
    return watchdog;
  }

  /** Cuts every connection whose write to its caller has been blocked longer than the limit. */
  private void cutStalledWrites() {
    long now = System.nanoTime();
    long limit = timeouts.body().toNanos();
    for (BlockingConnection connection : connections) {
      try {
        connection.abortIfStalled(now, limit);
      } catch (RuntimeException e) { // thrown out, it would end every later check
        LOG.log(Level.WARNING, "checking a connection's writes failed: " + e, e);
      }
    }
  }

  /** A connection's thread is done with it. */
  void forget(BlockingConnection connection) {
    connections.remove(connection);
  }

  private void accept() {
    while (!closing.get()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!closing.get()) {
          LOG.log(Level.WARNING, "the gateway could not accept a connection: " + e);
          LockSupport.parkNanos(ACCEPT_RETRY_NANOS); // e.g. out of file descriptors: not a spin
        }
        continue;
      }
      BlockingConnection connection = new BlockingConnection(this, socket, handler, timeouts);
      connections.add(connection);
      if (!started(connection)) {
        connections.remove(connection);
        refuseBusy(socket);
      }
    }
  }

  /**
   * Starts serving a connection on a free thread. With none free, the connection that has waited
   * longest for a request is closed to make room (an idle kept-alive caller reconnects when it
   * needs to; one busy with a request is never cut), and its thread awaited briefly.
   *
   * @return false when every thread serves a request
   */
  private boolean started(BlockingConnection connection) {
    try {
      connectionThreads.execute(connection);
      return true;
    } catch (RejectedExecutionException e) {
      // All threads are taken: make room below, if an idle connection holds one.
    }
    BlockingConnection idlest = null;
    long since = Long.MAX_VALUE;
    for (BlockingConnection other : connections) {
      long idle = other == connection ? Long.MAX_VALUE : other.idleSince();
      if (idle < since) {
        since = idle;
        idlest = other;
      }
    }
    if (idlest == null || closing.get()) {
      return false;
    }
    idlest.closeIfIdle();
    long deadline = System.nanoTime() + ROOM_WAIT_NANOS;
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(ROOM_POLL_NANOS); // its thread ends its read, then returns to the pool
      try {
        connectionThreads.execute(connection);
        return true;
      } catch (RejectedExecutionException e) {
        // Not back yet.
      }
    }
    return false;
  }

  /**
   * Answers a connection no thread is free for with a 503, from the acceptor: a first write on a
   * new connection fits its send buffer, so it does not block. A TLS connection is only closed.
   */
  private void refuseBusy(Socket socket) {
    try (socket) {
      if (!(socket instanceof SSLSocket) && !closing.get()) {
        socket.getOutputStream().write(ServerErrorAnswer.of(503, BUSY)); // dated now
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // The caller is gone already.
    }
  }

  /**
   * Stops accepting, closes connections waiting for a request at once, lets requests in flight
   * finish for the grace period, then closes what is left. Returns when all is closed; closing
   * again waits for the first close to end.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      awaitClosed();
      return;
    }
    try {
      listener.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, () -> "closing the listener: " + e);
    }
    connectionThreads.shutdown();
    for (BlockingConnection connection : connections) {
      connection.closeIfIdle();
    }
    boolean interrupted = false;
    try {
      if (!connectionThreads.awaitTermination(timeouts.grace().toMillis(), TimeUnit.MILLISECONDS)) {
        for (BlockingConnection connection : connections) {
          connection.abort(); // not closeNow: a TLS close would wait for a blocked writer
        }
        connectionThreads.shutdownNow();
        connectionThreads.awaitTermination(1, TimeUnit.SECONDS);
      }
      acceptor.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      interrupted = true;
      for (BlockingConnection connection : connections) {
        connection.abort();
      }
      connectionThreads.shutdownNow();
    } finally {
      watchdog.shutdownNow();
      closed.countDown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
