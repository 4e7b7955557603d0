package io.mps3.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 relay on 127.0.0.1 in front of a real server that, during a window set by {@link
 * #unavailableFor(Duration)}, answers every request itself with {@code 503 ServiceUnavailable} and
 * {@code Retry-After: 1}, as a store that is overloaded or restarting behind a load balancer does;
 * outside the window it forwards requests unchanged and streams the answers back. It is a fault on
 * the wire, not a server: every request it forwards is answered by the server behind it.
 *
 * <p>It reads each request whole (head, and a body of {@code Content-Length} bytes: chunked request
 * bodies are refused by closing the connection), so it can decide per request, also on a connection
 * kept alive from before the window. Answers are not parsed: a client sends its next request on a
 * connection only after it read the last answer, so an answer of the relay never interleaves with
 * one of the server.
 *
 * <p>Thread-safe.
 */
public final class UnavailableRelay implements AutoCloseable {

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final byte[] UNAVAILABLE_BODY =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>ServiceUnavailable</Code>"
              + "<Message>Service is unable to handle request (injected by the relay)."
              + "</Message></Error>")
          .getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final AtomicLong unavailableUntilNanos = new AtomicLong(System.nanoTime());
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger forwarded = new AtomicInteger();
  private volatile boolean closed;

  private UnavailableRelay(ServerSocket server, InetSocketAddress upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** Starts a relay to {@code target} (an http URL's host and port), forwarding everything. */
  public static UnavailableRelay start(URI target) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      UnavailableRelay relay =
          new UnavailableRelay(server, new InetSocketAddress(target.getHost(), target.getPort()));
      Thread acceptor = new Thread(relay::acceptLoop, "unavailable-relay-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return relay;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start relay: " + e, e);
    }
  }

  /** The relay's URL. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Answers every request with 503 from now on, for {@code window}. */
  public void unavailableFor(Duration window) {
    unavailableUntilNanos.set(System.nanoTime() + window.toNanos());
  }

  /** {@return whether the window of 503 answers is open now} */
  public boolean isUnavailable() {
    return System.nanoTime() - unavailableUntilNanos.get() < 0;
  }

  /** {@return how many requests were answered with 503 so far} */
  public int refusedRequests() {
    return refused.get();
  }

  /** {@return how many requests were forwarded to the server so far} */
  public int forwardedRequests() {
    return forwarded.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread thread = new Thread(() -> serve(client), "unavailable-relay-connection");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  /** Relays one client connection, request by request, until either side closes it. */
  private void serve(Socket client) {
    @Nullable Socket target = null;
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head.length == 0) {
          return; // the client closed the connection between requests
        }
        String headText = new String(head, StandardCharsets.ISO_8859_1);
        byte[] body = in.readNBytes(contentLength(headText));
        if (isUnavailable()) {
          refused.incrementAndGet();
          synchronized (out) {
            out.write(unavailableAnswer(headText.startsWith("HEAD ")));
            out.flush();
          }
          continue;
        }
        if (target == null) {
          target = new Socket();
          target.connect(upstream);
          startPump(target, client, out);
        }
        OutputStream up = target.getOutputStream();
        up.write(head);
        up.write(body);
        up.flush();
        forwarded.incrementAndGet();
      }
    } catch (IOException e) {
      // Either side closed or failed: close both.
    } finally {
      closeQuietly(target);
    }
  }

  /** Streams the server's answers back to the client, unparsed. */
  private static void startPump(Socket target, Socket client, OutputStream out) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = target.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  synchronized (out) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // Closed; close both below.
              } finally {
                closeQuietly(target);
                closeQuietly(client);
              }
            },
            "unavailable-relay-answers");
    thread.setDaemon(true);
    thread.start();
  }

  /** The request head up to and including its blank line; empty at a clean end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0; // bytes of "\r\n\r\n" seen in a row
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return new byte[0];
        }
        throw new EOFException("connection closed inside a request head");
      }
      head.write(b);
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
      }
      matched =
          (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
    }
    return head.toByteArray();
  }

  private static int contentLength(String head) throws IOException {
    int length = 0;
    for (String line : head.split("\r\n", -1)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equals("transfer-encoding") && !value.equalsIgnoreCase("identity")) {
        throw new IOException("chunked request bodies are not relayed");
      }
    }
    return length;
  }

  private static byte[] unavailableAnswer(boolean head) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    String answer =
        "HTTP/1.1 503 Service Unavailable\r\n"
            + "Retry-After: 1\r\n"
            + "Date: "
            + date
            + "\r\n"
            + "Content-Type: application/xml\r\n"
            + "Content-Length: "
            + (head ? 0 : UNAVAILABLE_BODY.length)
            + "\r\n\r\n";
    byte[] start = answer.getBytes(StandardCharsets.ISO_8859_1);
    if (head) {
      return start;
    }
    byte[] whole = new byte[start.length + UNAVAILABLE_BODY.length];
    System.arraycopy(start, 0, whole, 0, start.length);
    System.arraycopy(UNAVAILABLE_BODY, 0, whole, start.length, UNAVAILABLE_BODY.length);
    return whole;
  }

  private static void closeQuietly(@Nullable Socket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
