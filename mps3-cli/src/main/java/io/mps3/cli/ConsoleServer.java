package io.mps3.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console's web server (the JDK's {@code com.sun.net.httpserver}): the page and its JSON API
 * under {@code /<token>/}, where the token is 256 random bits made at start. The token is the only
 * credential: it is in the one URL the console prints, every request without it is refused with
 * 403, and it is never logged. Keeping it in the path (not a cookie) means a page of another site
 * cannot make the browser send it, and the page's relative links carry it without script.
 */
final class ConsoleServer implements AutoCloseable {

  /** The page's files, from the command's resources: no build step, nothing from the network. */
  private static final Map<String, String> FILES =
      Map.of(
          "", "text/html; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8");

  private static final String RESOURCES = "console/";

  private final String token;
  private final HttpServer server;
  private final ExecutorService threads;
  private final ConsoleApi api;

  private ConsoleServer(HttpServer server, String token, ConsoleApi api) {
    this.server = server;
    this.token = token;
    this.api = api;
    AtomicInteger count = new AtomicInteger();
    // A thread a request: a page holds one open for its live stream, and the probe takes seconds.
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "mps3-console-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(threads);
    server.createContext("/", this::serve);
  }

  /**
   * Listens on the address (port 0: a free one) and serves until closed.
   *
   * @throws UsageException when the address cannot be listened on
   */
  static ConsoleServer start(InetSocketAddress address, ConsoleApi api) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UsageException(
          "cannot listen on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + " ("
              + e.getMessage()
              + "); pick another --port or --bind");
    }
    ConsoleServer console = new ConsoleServer(server, newToken(), api);
    server.start();
    return console;
  }

  /** 256 bits from a SecureRandom, URL-safe. */
  private static String newToken() {
    byte[] bits = new byte[32];
    new SecureRandom().nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** The page's URL: the only place the token is shown. */
  URI url() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    try {
      return new URI("http", null, host, address.getPort(), "/" + token + "/", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e); // an address and a Base64url token always make a URI
    }
  }

  /** The same URL with the token hidden, for messages. */
  String urlWithoutToken() {
    return url().toString().replace(token, "<token>");
  }

  private void serve(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (IOException e) {
      // The page went away (a closed tab ends its live stream this way): nothing to tell anyone.
    } catch (RuntimeException e) {
      try {
        ConsoleHttp.send(exchange, 500, "text/plain; charset=utf-8", "mps3 console: " + e);
      } catch (IOException | RuntimeException again) {
        // the answer had begun: the connection closes, which the page shows
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String prefix = "/" + token + "/";
    if (startsWithToken(path + "/", prefix) && path.length() + 1 == prefix.length()) {
      exchange.getResponseHeaders().set("Location", prefix); // the page's links need the slash
      ConsoleHttp.send(exchange, 301, "text/plain; charset=utf-8", "");
      return;
    }
    if (!startsWithToken(path, prefix)) {
      refuse(exchange);
      return;
    }
    String rest = path.substring(prefix.length());
    if (rest.startsWith("api/")) {
      api.handle(exchange, rest.substring("api/".length()));
    } else if (FILES.containsKey(rest) && "GET".equals(exchange.getRequestMethod())) {
      String name = rest.isEmpty() ? "index.html" : rest;
      ConsoleHttp.send(exchange, 200, Objects.requireNonNull(FILES.get(rest)), resource(name));
    } else {
      ConsoleHttp.send(exchange, 404, "text/plain; charset=utf-8", "mps3 console: no such page");
    }
  }

  /** Compares in constant time: how long a refusal takes tells nothing about the token. */
  private static boolean startsWithToken(String path, String prefix) {
    String start = path.substring(0, Math.min(path.length(), prefix.length()));
    return MessageDigest.isEqual(
        start.getBytes(StandardCharsets.UTF_8), prefix.getBytes(StandardCharsets.UTF_8));
  }

  private void refuse(HttpExchange exchange) throws IOException {
    ConsoleHttp.send(
        exchange,
        403,
        "text/plain; charset=utf-8",
        "403 Forbidden: this address needs the console's token. Open the URL that `mps3 console`"
            + " printed when it started ("
            + urlWithoutToken()
            + "); the part after the port is the token. Nothing else is served without it.\n");
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ConsoleServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new UncheckedIOException(
            new IOException("the console's " + name + " is missing from the command's jar"));
      }
      return in.readAllBytes();
    }
  }

  /** Stops listening and ends every request. */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
