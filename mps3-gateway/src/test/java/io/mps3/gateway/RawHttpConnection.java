package io.mps3.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A client connection for the front server's tests: it writes bytes exactly as given (so a test can
 * send what no HTTP library would) and reads answers with a strict little parser of its own.
 */
final class RawHttpConnection implements AutoCloseable {

  /** One answer as read. */
  static final class Answer {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    Answer(int status, Map<String, List<String>> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    int status() {
      return status;
    }

    Map<String, List<String>> headers() {
      return headers;
    }

    @Nullable String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttpConnection(int port) throws IOException {
    this(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  RawHttpConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000); // a test that waits longer than this has failed
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  void send(String text) throws IOException {
    send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  OutputStream output() {
    return out;
  }

  /** Reads one answer (an interim 1xx one too), its body framed as its head says. */
  Answer read() throws IOException {
    return read(false);
  }

  /** Reads one answer to a HEAD request: never a body. */
  Answer readHead() throws IOException {
    return read(true);
  }

  private Answer read(boolean toHead) throws IOException {
    String statusLine = line();
    if (!statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("not a status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(
              line.substring(0, colon).toLowerCase(Locale.ROOT), n -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    Answer head = new Answer(status, headers, new byte[0]);
    if (toHead || status < 200 || status == 204 || status == 304) {
      return head;
    }
    String length = head.header("content-length");
    if (length != null) {
      return new Answer(status, headers, in.readNBytes(Integer.parseInt(length)));
    }
    if ("chunked".equals(head.header("transfer-encoding"))) {
      return new Answer(status, headers, chunked());
    }
    return new Answer(status, headers, in.readAllBytes()); // delimited by the close
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line(), 16); size > 0; size = Integer.parseInt(line(), 16)) {
      body.write(in.readNBytes(size));
      if (!line().isEmpty()) {
        throw new IOException("no CR LF after a chunk");
      }
    }
    if (!line().isEmpty()) {
      throw new IOException("trailers after the last chunk");
    }
    return body.toByteArray();
  }

  /** A CR LF ended line of the answer (anything else fails). */
  String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        throw new EOFException("the server closed the connection inside an answer head: " + line);
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("a bare CR in the answer");
        }
        return line.toString();
      }
      if (b == '\n') {
        throw new IOException("a bare LF in the answer");
      }
      line.append((char) b);
    }
  }

  /** Whether the server closed the connection: the next read is its end (fails after 10 s). */
  boolean closedByServer() throws IOException {
    return in.read() == -1;
  }

  /** Bytes of the answer stream that were received (buffered or ready) without waiting. */
  int available() throws IOException {
    return in.available();
  }

  /** All that arrives until the server closes the connection. */
  byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
