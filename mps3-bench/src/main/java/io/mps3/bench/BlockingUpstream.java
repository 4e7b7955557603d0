package io.mps3.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.jspecify.annotations.Nullable;

/**
 * The upstream half of {@link PassThroughProxy} without Jetty's HttpClient: each server thread
 * keeps its own connection to the store, writes a request (head and body) in one write and reads
 * the answer itself, blocking, as {@link BlockingHttpRelay} does. What the pass-through costs with
 * it, against with Jetty's client, is what the client's hand-offs between threads cost. Only what
 * the benchmark sends: bodies read whole (small), answers framed by {@code Content-Length}.
 */
final class BlockingUpstream {

  private final URI upstream;

  BlockingUpstream(URI upstream) {
    this.upstream = upstream;
  }

  @SuppressWarnings("ThreadLocalUsage") // one proxy per run: a connection per server thread
  private final ThreadLocal<java.net.@Nullable Socket> sockets = new ThreadLocal<>();

  /**
   * Sends the request on and writes the store's answer. A connection the store closed while idle
   * fails the first try; the exchange is tried once more on a new connection (the body is held).
   */
  void exchange(Request request, Response response) throws IOException {
    byte[] body = Content.Source.asInputStream(request).readAllBytes();
    for (int attempt = 0; ; attempt++) {
      try {
        exchange(request, response, body);
        return;
      } catch (IOException e) {
        java.net.Socket stale = sockets.get();
        if (stale != null) {
          stale.close();
        }
        sockets.remove();
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void exchange(Request request, Response response, byte[] body) throws IOException {
    java.net.Socket socket = sockets.get();
    if (socket == null || socket.isClosed()) {
      socket = new java.net.Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new java.net.InetSocketAddress(upstream.getHost(), upstream.getPort()));
      sockets.set(socket);
    }
    String query = request.getHttpURI().getQuery();
    StringBuilder head =
        new StringBuilder(request.getMethod())
            .append(' ')
            .append(request.getHttpURI().getPath())
            .append(query == null ? "" : "?" + query)
            .append(" HTTP/1.1\r\n");
    for (HttpField field : request.getHeaders()) {
      if (!PassThroughProxy.NOT_PASSED.contains(field.getLowerCaseName())) {
        head.append(field.getName()).append(": ").append(field.getValue()).append("\r\n");
      }
    }
    if (body.length > 0) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] message = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, message, headBytes.length, body.length);
    OutputStream out = socket.getOutputStream();
    out.write(message);
    out.flush();
    BlockingHttpRelay.Message answer =
        BlockingHttpRelay.readMessage(new java.io.BufferedInputStream(socket.getInputStream()));
    if (answer == null) {
      socket.close();
      throw new IOException("the store closed the connection");
    }
    response.setStatus(Integer.parseInt(answer.startLine().split(" ", 3)[1]));
    for (String line : answer.headerLines()) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).trim();
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (!PassThroughProxy.NOT_PASSED.contains(lower) || lower.equals("content-length")) {
        response.getHeaders().add(name, line.substring(colon + 1).trim());
      }
    }
    try (OutputStream to = Content.Sink.asOutputStream(response)) {
      to.write(answer.body());
    }
  }
}
