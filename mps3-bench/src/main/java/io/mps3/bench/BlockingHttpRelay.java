package io.mps3.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP-aware pass-through with no framework, for {@link GatewayBenchmark}: between the raw TCP
 * relay and the Jetty pass-through. One thread per client connection, with its own kept-alive
 * connection to the store; it reads each request's head line by line and its body by {@code
 * Content-Length}, sends them on, reads the answer's head and body the same way and writes them
 * back, each message in one write. It parses what a proxy must (message boundaries) and nothing
 * more, so what it costs over the raw relay is HTTP parsing itself, and what the Jetty pass-through
 * costs over it is the Jetty stack (selectors, thread hand-offs, buffers).
 *
 * <p>Only what the benchmark sends: messages with a {@code Content-Length} or none (no chunked
 * bodies, no {@code Expect}, no HEAD), answers likewise.
 */
final class BlockingHttpRelay implements AutoCloseable {

  private static final Set<String> NO_BODY_STATUS = Set.of("204", "304");

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private BlockingHttpRelay(ServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
    this.acceptor = new Thread(this::accept, "http-relay-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Starts a relay on a free loopback port in front of {@code store} ({@code http://host:port}).
   */
  static BlockingHttpRelay start(URI store) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    BlockingHttpRelay relay =
        new BlockingHttpRelay(listener, new InetSocketAddress(store.getHost(), store.getPort()));
    relay.acceptor.start();
    return relay;
  }

  /** Where clients reach it. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread thread = new Thread(() -> serve(client), "http-relay");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** Relays one client connection's exchanges, one at a time, until either side closes. */
  private void serve(Socket client) {
    try (client;
        Socket store = new Socket()) {
      open.add(client);
      open.add(store);
      client.setTcpNoDelay(true);
      store.setTcpNoDelay(true);
      store.connect(upstream);
      InputStream fromClient = new BufferedInputStream(client.getInputStream());
      OutputStream toClient = new BufferedOutputStream(client.getOutputStream());
      InputStream fromStore = new BufferedInputStream(store.getInputStream());
      OutputStream toStore = new BufferedOutputStream(store.getOutputStream());
      while (relayMessage(fromClient, toStore, false)) {
        if (!relayMessage(fromStore, toClient, true)) {
          return;
        }
      }
    } catch (IOException e) {
      // A side closed or reset: the connection ends.
    } finally {
      open.remove(client);
    }
  }

  /**
   * Copies one message (head, then a body of its {@code Content-Length}) and flushes it: one write.
   *
   * @return false at the end of the stream before a message
   */
  private static boolean relayMessage(InputStream from, OutputStream to, boolean answer)
      throws IOException {
    long length = 0;
    boolean first = true;
    boolean bodiless = false;
    for (String line; ; first = false) {
      line = readLine(from);
      if (line == null) {
        if (first) {
          return false;
        }
        throw new IOException("the stream ended inside a message head");
      }
      to.write(line.getBytes(StandardCharsets.ISO_8859_1));
      to.write('\r');
      to.write('\n');
      if (line.isEmpty()) {
        break;
      }
      if (first && answer) {
        String[] parts = line.split(" ", 3);
        bodiless = parts.length > 1 && NO_BODY_STATUS.contains(parts[1]);
      }
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    if (!bodiless) {
      byte[] buffer = new byte[8192];
      for (long left = length; left > 0; ) {
        int read = from.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          throw new IOException("the stream ended inside a body");
        }
        to.write(buffer, 0, read);
        left -= read;
      }
    }
    to.flush();
    return true;
  }

  /** A message as read: its first line, its header lines and its body (never changed). */
  @SuppressWarnings("ArrayRecordComponent") // read once, by the one caller
  record Message(String startLine, java.util.List<String> headerLines, byte[] body) {}

  /** Reads one message (an answer to anything but HEAD), or null at the end of the stream. */
  static @Nullable Message readMessage(InputStream from) throws IOException {
    String start = readLine(from);
    if (start == null) {
      return null;
    }
    java.util.List<String> headers = new java.util.ArrayList<>();
    int length = 0;
    for (String line; ; ) {
      line = readLine(from);
      if (line == null) {
        throw new IOException("the stream ended inside a message head");
      }
      if (line.isEmpty()) {
        break;
      }
      headers.add(line);
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    String[] parts = start.split(" ", 3);
    boolean bodiless = parts.length > 1 && NO_BODY_STATUS.contains(parts[1]);
    byte[] body = bodiless ? new byte[0] : from.readNBytes(length);
    if (body.length < (bodiless ? 0 : length)) {
      throw new IOException("the stream ended inside a body");
    }
    return new Message(start, headers, body);
  }

  /** A line without its CRLF, or null at the end of the stream. */
  static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : open) {
      socket.close();
    }
  }
}
