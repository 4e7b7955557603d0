package io.mps3.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentListener;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import io.mps3.spi.ClientMetrics;
import io.mps3.spi.ObjectStore;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client operations of {@link ClientBenchmark} against one store. Each cell has a manifest of
 * its own, new clients, and values of about 1 KiB ({@code {"n": i, "text": "xxx..."}}, a different
 * {@code n} each write). Requests are counted by the target's counting store.
 *
 * <p>Not thread-safe.
 */
final class ClientOperations {

  /** How often the subscriber polls in the notification cell. */
  static final Duration SUBSCRIBER_POLL = Duration.ofMillis(50);

  /** The client default; clients that do not subscribe never poll. */
  private static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

  /**
   * The clients' metrics: none, or with {@code -Dmps3.bench.metrics=on} a recorder that adds up
   * what it is told (the library's own cost of reporting, without a metrics library's).
   */
  private static final ClientMetrics METRICS =
      "on".equals(System.getProperty("mps3.bench.metrics"))
          ? new SummingMetrics()
          : ClientMetrics.none();

  /** Adds up each report, so that none is optimized away. */
  private static final class SummingMetrics implements ClientMetrics, ClientMetrics.Recorder {
    final LongAdder sum = new LongAdder();

    @Override
    public Recorder clientOpened(Client client) {
      return this;
    }

    @Override
    public void operation(String manifest, Operation operation, Outcome outcome, long nanos) {
      sum.add(nanos);
    }

    @Override
    public void commit(String manifest, CommitEvent event) {
      sum.increment();
    }

    @Override
    public void pollLag(String manifest, long millis) {
      sum.add(millis);
    }
  }

  private static final String TEXT = "x".repeat(1000);
  private static final long WAIT_SECONDS = 30;
  private static final int KEYS = 20;

  /**
   * How much each cell does.
   *
   * @param n timed calls of the put and warm-get cells (and of the floor)
   * @param warmup untimed calls before them in the floor
   * @param clientWarmup untimed calls before them in the put and warm-get cells
   * @param burst puts in flight at once in the back-to-back cell
   * @param entries puts written before the cold opens
   * @param opens timed cold opens
   * @param notifications timed notifications
   */
  record Sizes(
      int n, int warmup, int clientWarmup, int burst, int entries, int opens, int notifications) {

    /** Puts in the untimed burst before the timed one. */
    int burstWarmup() {
      return Math.min(burst, 100);
    }

    /** Untimed cold opens before the timed ones. */
    int openWarmup() {
      return 2;
    }

    /** Untimed notifications before the timed ones. */
    int notificationWarmup() {
      return Math.min(notifications, 10);
    }
  }

  private final BenchTarget target;
  private final Sizes sizes;

  ClientOperations(BenchTarget target, Sizes sizes) {
    this.target = target;
    this.sizes = sizes;
  }

  /** Runs every cell, in order. */
  List<ClientRow> run() throws InterruptedException {
    List<ClientRow> rows = new ArrayList<>();
    rows.add(putAwaited());
    rows.add(putJournaled("put, awaited, journaled", WriteOptions.defaults()));
    rows.add(
        putJournaled(
            "put acknowledged locally, journaled", WriteOptions.defaults().acknowledgedLocally()));
    rows.add(backToBack());
    rows.add(warmGet());
    rows.add(coldOpen());
    rows.addAll(notification());
    return rows;
  }

  private ClientRow putAwaited() {
    try (Mps3AsyncClient client = client(target.store(), "client/put.json", DEFAULT_POLL)) {
      Measurement m =
          StoreFloorBenchmark.measure(
              target,
              "put, awaited",
              sizes.clientWarmup(),
              sizes.n(),
              i -> put(client, "put/doc", i));
      return new ClientRow(m, requests(m), StoreFloorBenchmark.PUT);
    }
  }

  /**
   * Puts through a client with an offline journal (an fsynced file per write, and one per entry):
   * awaited, the journal's cost over a plain put; acknowledged locally, the journal alone (the puts
   * then drain before the next cell).
   */
  private ClientRow putJournaled(String operation, WriteOptions options) {
    Path journal;
    try {
      journal = Files.createTempDirectory("mps3-bench-journal");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String manifest = options.isAcknowledgedLocally() ? "client/local.json" : "client/journal.json";
    try (Mps3AsyncClient client =
        Mps3AsyncClient.create(
            Mps3Config.builder()
                .store(target.store())
                .bucket(BenchTarget.BUCKET)
                .manifest(manifest)
                .pollInterval(DEFAULT_POLL)
                .metrics(METRICS)
                .journal(journal)
                .build())) {
      Measurement m =
          StoreFloorBenchmark.measure(
              target,
              operation,
              sizes.clientWarmup(),
              sizes.n(),
              i -> await(client.put("journal/doc", value(i), options)));
      String requests = requests(m);
      await(client.put("journal/doc", value(-1))); // drains what was acknowledged locally
      return new ClientRow(m, requests, StoreFloorBenchmark.PUT);
    } finally {
      deleteTree(journal);
    }
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[bench] cannot delete " + dir + ": " + e);
    }
  }

  private ClientRow backToBack() {
    String operation =
        String.format(Locale.ROOT, "puts back to back (%d in flight, one key)", sizes.burst());
    System.err.printf(Locale.ROOT, "[bench] %s: %s ...%n", target.name(), operation);
    try (Mps3AsyncClient client = client(target.store(), "client/burst.json", DEFAULT_POLL)) {
      burst(client, new long[sizes.burstWarmup()]);
      target.store().reset();
      long[] latencies = new long[sizes.burst()];
      long wall = burst(client, latencies);
      Map<Call, Long> counts = target.store().counts();
      expectValue(client.get("burst/doc").join(), sizes.burst() - 1);
      Measurement m =
          Measurement.of(target.name(), operation, latencies, wall, target.store().total());
      return new ClientRow(m, ClientRow.requests(counts, sizes.burst()), null);
    }
  }

  /** Fires one put per slot without waiting, awaits all; latency from the start to each ack. */
  private static long burst(Mps3AsyncClient client, long[] latencies) {
    CompletableFuture<?>[] acks = new CompletableFuture<?>[latencies.length];
    long start = System.nanoTime();
    for (int i = 0; i < latencies.length; i++) {
      int slot = i;
      acks[i] =
          client
              .put("burst/doc", value(i))
              .thenRun(() -> latencies[slot] = System.nanoTime() - start);
    }
    await(CompletableFuture.allOf(acks));
    return System.nanoTime() - start;
  }

  private ClientRow warmGet() {
    String key = "get/doc";
    try (Mps3AsyncClient client = client(target.store(), "client/get.json", DEFAULT_POLL)) {
      put(client, key, 0);
      expectValue(client.get(key).join(), 0);
      Measurement m =
          StoreFloorBenchmark.measure(
              target,
              "get, warm (value cached, nothing changed)",
              sizes.clientWarmup(),
              sizes.n(),
              i -> expectValue(client.get(key).join(), 0));
      return new ClientRow(m, requests(m), StoreFloorBenchmark.GET_304);
    }
  }

  private ClientRow coldOpen() {
    String manifest = "client/open.json";
    System.err.printf(Locale.ROOT, "[bench] %s: %d puts ...%n", target.name(), sizes.entries());
    long writeStart = System.nanoTime();
    try (Mps3AsyncClient writer = client(target.store(), manifest, DEFAULT_POLL)) {
      for (int i = 0; i < sizes.entries(); i++) {
        put(writer, "open/key-" + (i % KEYS), i);
      }
    }
    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
    int last = sizes.entries() - 1;
    String key = "open/key-" + (last % KEYS);
    String operation =
        String.format(
            Locale.ROOT,
            "new client's first get after %d puts to %d keys (written in %.1f s)",
            sizes.entries(),
            KEYS,
            writeSeconds);
    Measurement m =
        StoreFloorBenchmark.measure(
            target,
            operation,
            sizes.openWarmup(),
            sizes.opens(),
            i -> {
              try (Mps3AsyncClient reader = client(target.store(), manifest, DEFAULT_POLL)) {
                expectValue(reader.get(key).join(), last);
              }
            });
    return new ClientRow(m, requests(m), null);
  }

  /** The put-to-notification row, then the writer's own put latency in the same loop. */
  private List<ClientRow> notification() throws InterruptedException {
    String key = "notify/doc";
    String operation =
        String.format(
            Locale.ROOT,
            "put to notification (A puts at random times, B subscribed, polls every %d ms)",
            SUBSCRIBER_POLL.toMillis());
    System.err.printf(Locale.ROOT, "[bench] %s: %s ...%n", target.name(), operation);
    // Two counters over the target's store, one per client; never closed, since that would close
    // the target's store under the next cell.
    CountingObjectStore writerStore = CountingObjectStore.wrap(target.store());
    CountingObjectStore readerStore = CountingObjectStore.wrap(target.store());
    BlockingQueue<long[]> seen = new LinkedBlockingQueue<>();
    Random pauses = new Random(42);
    int warmup = sizes.notificationWarmup();
    long[] latencies = new long[sizes.notifications()];
    long[] putLatencies = new long[sizes.notifications()];
    long loopStart = 0;
    try (Mps3AsyncClient a = client(writerStore, "client/notify.json", DEFAULT_POLL);
        Mps3AsyncClient b = client(readerStore, "client/notify.json", SUBSCRIBER_POLL)) {
      put(a, key, -1);
      DocumentListener listener =
          change ->
              change.value().ifPresent(v -> seen.add(new long[] {v.path("n").asLong(), nanos()}));
      try (Subscription subscription = b.subscribe(key, listener)) {
        arrival(seen, -1);
        for (int i = 0; i < warmup + latencies.length; i++) {
          if (i == warmup) {
            writerStore.reset();
            readerStore.reset();
            loopStart = System.nanoTime();
          }
          // A random pause puts each write at a random point of the subscriber's poll cycle.
          Thread.sleep(pauses.nextInt((int) SUBSCRIBER_POLL.toMillis()));
          long start = System.nanoTime();
          long[] acked = new long[1];
          CompletableFuture<Void> ack = a.put(key, value(i)).thenRun(() -> acked[0] = nanos());
          long arrived = arrival(seen, i);
          await(ack);
          if (i >= warmup) {
            latencies[i - warmup] = arrived - start;
            putLatencies[i - warmup] = acked[0] - start;
          }
        }
      }
      long wall = System.nanoTime() - loopStart;
      String requests =
          ClientRow.requests(writerStore.counts(), readerStore.counts(), latencies.length);
      long total = writerStore.total() + readerStore.total();
      Measurement put =
          Measurement.of(
              target.name(),
              "A's put in that loop, awaited",
              putLatencies,
              wall,
              writerStore.total());
      return List.of(
          new ClientRow(
              Measurement.of(target.name(), operation, latencies, wall, total), requests, null),
          new ClientRow(
              put,
              ClientRow.requests(writerStore.counts(), latencies.length),
              StoreFloorBenchmark.PUT));
    }
  }

  /** When the subscriber saw value {@code n}; earlier values still queued are skipped. */
  private static long arrival(BlockingQueue<long[]> seen, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      long[] next = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new IllegalStateException("no notification of n=" + n + " in " + WAIT_SECONDS + " s");
      }
      if (next[0] == n) {
        return next[1];
      }
    }
  }

  private static long nanos() {
    return System.nanoTime();
  }

  private Mps3AsyncClient client(ObjectStore store, String manifest, Duration poll) {
    return Mps3AsyncClient.create(
        Mps3Config.builder()
            .store(store)
            .bucket(BenchTarget.BUCKET)
            .manifest(manifest)
            .pollInterval(poll)
            .metrics(METRICS)
            .build());
  }

  private static void put(Mps3AsyncClient client, String key, int n) {
    await(client.put(key, value(n)));
  }

  private static Map<String, Object> value(int n) {
    return Map.of("n", n, "text", TEXT);
  }

  private String requests(Measurement m) {
    return ClientRow.requests(target.store().counts(), m.n());
  }

  private static void await(CompletableFuture<?> future) {
    future.orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
  }

  private static void expectValue(Optional<JsonNode> value, int n) {
    if (value.isEmpty() || value.get().path("n").asInt() != n) {
      throw new IllegalStateException(
          "read " + value.map(v -> "n=" + v.path("n")).orElse("(absent)") + ", expected n=" + n);
    }
  }
}
