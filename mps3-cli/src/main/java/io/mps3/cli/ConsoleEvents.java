package io.mps3.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A manifest's changes, pushed to the page as Server-Sent Events: each stream subscribes to every
 * key of one manifest (the current values first, then each change in log order) and writes one
 * {@code change} event per delivery, {@code {"key", "text", "version": null}} as {@link
 * ConsoleValues} shows a value ({@code "deleted": true} instead of a text when the key is gone),
 * and a {@code problem} event when the store fails (the subscription keeps trying). The
 * subscription ends when the page goes away (a write fails) or the console stops.
 *
 * <p>A delivery carries no version. Reading each one's version would cost a strict manifest a look
 * at its log per key (thousands of requests for the first deliveries of a large manifest), so the
 * page reads the version of the one key it shows, with {@code GET api/value}.
 */
final class ConsoleEvents implements AutoCloseable {

  /** A delivery, a failure, or the end of the stream. */
  private record Item(@Nullable DocumentChange change, @Nullable String problem, boolean stop) {}

  private static final Item STOP = new Item(null, null, true);

  /** A comment this often keeps idle connections open and finds pages that went away. */
  private static final long KEEP_ALIVE_SECONDS = 15;

  private final Set<BlockingQueue<Item>> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Streams the changes of the client's manifest until the page goes or the console stops. */
  void stream(HttpExchange exchange, Mps3Client client) throws IOException {
    BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    DocumentListener listener =
        new DocumentListener() {
          @Override
          public void onChange(DocumentChange change) {
            items.add(new Item(change, null, false));
          }

          @Override
          public void onError(Mps3Exception error) {
            items.add(new Item(null, error.getMessage() + " (still trying)", false));
          }
        };
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ConsoleHttp.secure(exchange.getResponseHeaders());
    exchange.sendResponseHeaders(200, 0);
    streams.add(items);
    if (closed) {
      items.add(STOP);
    }
    try (OutputStream out = exchange.getResponseBody();
        Subscription subscription = client.subscribePrefix("", ReadOptions.defaults(), listener)) {
      write(out, "retry: 1000\n\n");
      while (true) {
        Item item = items.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        if (item == null) {
          write(out, ": keep-alive\n\n");
        } else if (item.stop()) {
          return;
        } else if (item.change() != null) {
          DocumentChange change = item.change();
          ConsoleValues.Shown shown = ConsoleValues.shown(change.value().orElse(null), null);
          write(out, event("change", shown.json(change.key())));
        } else {
          write(out, event("problem", Json.MAPPER.createObjectNode().put("error", item.problem())));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the console is stopping
    } finally {
      streams.remove(items);
    }
  }

  private static String event(String name, ObjectNode data) {
    return "event: " + name + "\ndata: " + data + "\n\n"; // JSON holds no raw newline
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Ends every stream: the console is stopping. */
  @Override
  public void close() {
    closed = true;
    streams.forEach(items -> items.add(STOP));
  }
}
