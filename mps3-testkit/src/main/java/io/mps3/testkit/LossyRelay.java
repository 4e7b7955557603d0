package io.mps3.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of a real server that can lose responses: for each of the next
 * {@code n} connections it forwards the request whole, then closes the connection as soon as the
 * server starts to answer, so the request took effect but the client never learns how. That is the
 * ambiguous failure a conditional write must survive. It can also throttle: for each of the next
 * {@code n} connections it reads the request and answers {@code 503 SlowDown} with a {@code
 * Retry-After} itself, without forwarding it, as a load balancer in front of a busy store does. And
 * it can stall: for each of the next {@code n} connections it forwards the first bytes of the
 * request and then stops reading the client's, holding the connection open, as a store that stopped
 * reading a request body does (the client's writes then block). And it can cut an answer: pass on
 * its first bytes, then close. Everything else passes through unchanged. It is a fault on the wire,
 * not a server: the server behind it is real.
 *
 * <p>Thread-safe.
 */
public final class LossyRelay implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final AtomicInteger responsesToLose = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();
  private final AtomicInteger requestsToThrottle = new AtomicInteger();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicInteger requestsToStall = new AtomicInteger();
  private final java.util.concurrent.CountDownLatch closing =
      new java.util.concurrent.CountDownLatch(1);
  private volatile long stallAfterBytes;
  private final AtomicInteger answersToCut = new AtomicInteger();
  private volatile long cutAfterBytes;
  private volatile String retryAfter = "1";
  private volatile boolean closed;

  private LossyRelay(ServerSocket server, InetSocketAddress upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** Starts a relay to {@code target} (an http URL's host and port). */
  public static LossyRelay start(URI target) {
    return start(target, 0);
  }

  /**
   * Starts a relay to {@code target} on a given port of 127.0.0.1 (0: any free one), for example on
   * the port of a relay closed before, so that clients see their store come back.
   */
  public static LossyRelay start(URI target, int port) {
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      LossyRelay relay =
          new LossyRelay(server, new InetSocketAddress(target.getHost(), target.getPort()));
      Thread acceptor = new Thread(relay::acceptLoop, "lossy-relay-accept");
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

  /** Loses the responses on the next {@code n} new connections. */
  public void loseNextResponses(int n) {
    responsesToLose.set(n);
  }

  /** How many responses were lost so far. */
  public int lostResponses() {
    return lost.get();
  }

  /**
   * Answers the requests of the next {@code n} new connections with {@code 503 SlowDown} and this
   * {@code Retry-After} value (seconds, or an HTTP date), without forwarding them.
   */
  public void throttleNextRequests(int n, String retryAfterValue) {
    this.retryAfter = retryAfterValue;
    requestsToThrottle.set(n);
  }

  /**
   * On the next {@code n} new connections, forwards the first {@code afterBytes} bytes the client
   * sends and then stops reading from the client until the relay is closed.
   */
  public void stallNextRequests(int n, long afterBytes) {
    this.stallAfterBytes = afterBytes;
    requestsToStall.set(n);
  }

  /**
   * On the next {@code n} new connections, passes on the first {@code afterBytes} bytes of the
   * server's answer and then closes the connection: an answer that breaks off mid-body.
   */
  public void cutNextAnswers(int n, long afterBytes) {
    this.cutAfterBytes = afterBytes;
    answersToCut.set(n);
  }

  /** How many requests were answered with 503 so far. */
  public int throttledRequests() {
    return throttled.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        if (requestsToThrottle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throttle(client);
          continue;
        }
        Socket target = new Socket();
        target.connect(upstream);
        boolean lose = responsesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean stall = requestsToStall.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean cut = answersToCut.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        pump(client, target, false, stall ? stallAfterBytes : Long.MAX_VALUE, true, "up");
        pump(target, client, lose, cut ? cutAfterBytes : Long.MAX_VALUE, false, "down");
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  /** Copies {@code from} to {@code to}; past {@code limit} bytes, stalls or closes both. */
  private void pump(
      Socket from,
      Socket to,
      boolean loseAnswer,
      long limit,
      boolean stallAtLimit,
      String direction) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                long left = limit;
                int n;
                while (left > 0
                    && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                  if (loseAnswer) {
                    lost.incrementAndGet();
                    break; // the server answered: the request took effect; drop the answer
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                  left -= n;
                }
                if (left == 0 && stallAtLimit) {
                  closing.await(); // stalled: read nothing more until the relay closes
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException e) {
                // The other side closed; close both below.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "lossy-relay-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads one request (head and body) and answers 503 SlowDown, on a thread of its own. */
  private void throttle(Socket client) {
    Thread thread =
        new Thread(
            () -> {
              try (client) {
                InputStream in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                  int b = in.read();
                  if (b < 0) {
                    return;
                  }
                  head.append((char) b);
                }
                java.util.regex.Matcher length =
                    java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
                if (length.find()) {
                  in.readNBytes(Integer.parseInt(length.group(1)));
                }
                byte[] body =
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                            + "<Message>Please reduce your request rate.</Message>"
                            + "<RequestId>relay-throttle</RequestId></Error>")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                throttled.incrementAndGet(); // before the answer: the caller may count at once
                OutputStream out = client.getOutputStream();
                out.write(
                    ("HTTP/1.1 503 Slow Down\r\nRetry-After: "
                            + retryAfter
                            + "\r\nContent-Type: application/xml\r\nContent-Length: "
                            + body.length
                            + "\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
              } catch (IOException e) {
                // The client went away: nothing to answer.
              }
            },
            "lossy-relay-throttle");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    closed = true;
    closing.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
