package io.mps3.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The front server's tests' handler: each path answers a way a test needs. {@code /echo} reads the
 * whole body and answers what it saw (method, path, query, length, headers), so a test sees what
 * the server handed over.
 */
final class TestRoutes implements ExchangeHandler {

  /** Counted down when {@code /gate} is entered; {@code /gate} waits for {@link #release}. */
  final CountDownLatch entered;

  final CountDownLatch release = new CountDownLatch(1);

  /** What a body read or a body write of the last failing request threw. */
  final AtomicReference<@Nullable IOException> failure = new AtomicReference<>();

  TestRoutes() {
    this(1);
  }

  /** Routes whose {@link #entered} counts {@code gates} entries of {@code /gate}. */
  TestRoutes(int gates) {
    this.entered = new CountDownLatch(gates);
  }

  @Override
  public void handle(Exchange exchange) throws Exception {
    switch (exchange.request().rawPath()) {
      case "/deny" -> {
        exchange.setHeader("Content-Type", "application/xml");
        exchange.respond(403, "<Error><Code>AccessDenied</Code></Error>".getBytes(UTF_8));
      }
      case "/close" -> {
        exchange.setHeader("Connection", "close");
        exchange.respond(200, "bye".getBytes(UTF_8));
      }
      case "/stream" -> {
        exchange.setHeader("Content-Type", "text/plain");
        try (OutputStream out = exchange.respondStreaming(200)) {
          out.write("hello ".getBytes(UTF_8));
          out.flush();
          out.write("world".getBytes(UTF_8));
        }
      }
      case "/sized" -> {
        exchange.setHeader("Content-Length", "11");
        exchange.respond(200, "hello world".getBytes(UTF_8));
      }
      case "/nocontent" -> {
        exchange.setHeader("Content-Length", "11");
        exchange.respond(204, new byte[0]);
      }
      case "/short" -> {
        exchange.setHeader("Content-Length", "10");
        try (OutputStream out = exchange.respondStreaming(200)) {
          out.write("12345".getBytes(UTF_8));
        }
      }
      case "/long" -> {
        exchange.setHeader("Content-Length", "3");
        OutputStream out = exchange.respondStreaming(200);
        try {
          out.write("12345".getBytes(UTF_8));
        } catch (IOException e) {
          failure.set(e);
          throw e;
        }
      }
      case "/split" -> {
        exchange.setHeader("X-Value", "a\r\nSet-Cookie: injected"); // refused: throws
        exchange.respond(200, new byte[0]);
      }
      case "/fail" -> throw new IllegalStateException("a test handler's failure");
      case "/silent" -> {}
      case "/gate" -> {
        entered.countDown();
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released /gate");
        }
        echo(exchange);
      }
      default -> echo(exchange);
    }
  }

  private void echo(Exchange exchange) throws IOException {
    long length = 0;
    try (InputStream body = exchange.body()) {
      byte[] buffer = new byte[8192];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        length += n;
      }
    } catch (IOException e) {
      failure.set(e);
      throw e;
    }
    IncomingRequest request = exchange.request();
    StringBuilder text = new StringBuilder();
    text.append("method=").append(request.method()).append('\n');
    text.append("path=").append(request.rawPath()).append('\n');
    text.append("query=").append(request.rawQuery()).append('\n');
    text.append("length=").append(length).append('\n');
    text.append("remote=").append(exchange.remoteAddress()).append('\n');
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      for (String value : header.getValue()) {
        text.append(header.getKey()).append(": ").append(value).append('\n');
      }
    }
    exchange.setHeader("Content-Type", "text/plain; charset=utf-8");
    exchange.respond(200, text.toString().getBytes(UTF_8));
  }
}
