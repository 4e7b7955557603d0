package io.mps3.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of any proxy at all, for {@link GatewayBenchmark}: a raw TCP relay that parses nothing.
 * For each connection it accepts on a loopback port it opens one to the store and copies bytes both
 * ways, one thread per direction, with {@code TCP_NODELAY} on both sockets. A client keeps its
 * keep-alive connection to the relay, and the relay keeps the one to the store, so each request
 * pays exactly one extra loopback hop each way and two thread wake-ups: no HTTP-aware proxy can do
 * with less. The store checks the caller's own signature, over the {@code Host} the caller sent
 * (the relay's), which passes unchanged.
 */
final class RawRelay implements AutoCloseable {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong upstreamConnects = new AtomicLong();
  private final Thread acceptor;

  private RawRelay(ServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
    this.acceptor = new Thread(this::accept, "raw-relay-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Starts a relay on a free loopback port in front of {@code store} ({@code http://host:port}).
   */
  static RawRelay start(URI store) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    RawRelay relay =
        new RawRelay(listener, new InetSocketAddress(store.getHost(), store.getPort()));
    relay.acceptor.start();
    return relay;
  }

  /** Where clients reach it. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** How many connections the relay opened to the store: one per client connection. */
  long upstreamConnects() {
    return upstreamConnects.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket store = new Socket();
        store.setTcpNoDelay(true);
        store.connect(upstream);
        upstreamConnects.incrementAndGet();
        client.setTcpNoDelay(true);
        open.add(client);
        open.add(store);
        pump(client, store, "raw-relay-up");
        pump(store, client, "raw-relay-down");
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /** Copies {@code from} to {@code to} until either end closes, then closes both. */
  private void pump(Socket from, Socket to, String name) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[BUFFER_BYTES];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                  out.write(buffer, 0, read); // unbuffered: each read goes out at once
                }
              } catch (IOException e) {
                // One end closed or reset: close both below.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  @Override
  public String toString() {
    return "RawRelay[" + endpoint() + " -> " + upstream + "]";
  }
}
