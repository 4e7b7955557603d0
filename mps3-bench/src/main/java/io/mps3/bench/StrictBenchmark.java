package io.mps3.bench;

import static io.mps3.bench.BenchTarget.BUCKET;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.CountingObjectStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The strict protocol next to the raw conditional PUT it is made of, measured in the same run
 * against each store (issue #5): requests and latency of an awaited put (as a multiple of one raw
 * {@code If-None-Match: *} PUT), puts per second from one client at 1, 8 and 64 concurrent callers
 * (group commit), commits per second of 8 contending clients, transactions per second of 8 clients
 * incrementing one counter, the cost of opening a manifest after 10,000 writes, and the bytes
 * written per put with 10, 1,000 and 100,000 keys in the manifest.
 *
 * <p>Prints a Markdown report to standard output and progress to standard error. System properties:
 * {@code mps3.bench.n} (300) timed calls per latency cell after {@code mps3.bench.warmup} (100);
 * {@code mps3.bench.openWrites} (10000); {@code mps3.bench.stores} ({@code local,s3proxy}).
 * Reports, never asserts.
 */
public final class StrictBenchmark {

  private static final String TEXT = "x".repeat(200);

  private final BenchTarget target;

  /** The clients' store: the target's counting store, with the calls in flight known. */
  private final TrafficRecorder traffic;

  private final int n;
  private final int warmup;
  private final int openWrites;
  private final List<String> rows = new ArrayList<>();
  private final List<StrictAsyncClient> clients = new ArrayList<>();
  private int manifests;
  private double rawCreateMillis;

  private StrictBenchmark(BenchTarget target, int n, int warmup, int openWrites) {
    this.target = target;
    this.traffic = new TrafficRecorder(target.store());
    this.n = n;
    this.warmup = warmup;
    this.openWrites = openWrites;
  }

  /** Runs the benchmark; see the class documentation. */
  public static void main(String[] args) throws Exception {
    int n = Integer.getInteger("mps3.bench.n", 300);
    int warmup = Integer.getInteger("mps3.bench.warmup", 100);
    int openWrites = Integer.getInteger("mps3.bench.openWrites", 10_000);
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    List<String> all = new ArrayList<>();
    for (String store : StoreFloorBenchmark.stores("local,s3proxy")) {
      try (BenchTarget target = StoreFloorBenchmark.target(store)) {
        StrictBenchmark bench = new StrictBenchmark(target, n, warmup, openWrites);
        try {
          bench.run();
        } finally {
          bench.clients.forEach(StrictAsyncClient::close);
        }
        all.addAll(bench.rows);
      }
    }
    PrintStream out = System.out;
    out.println("## Strict protocol");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.printf(
        Locale.ROOT,
        "- method: latency cells time %d sequential calls after %d untimed; values of about 200"
            + " bytes (inline); S3 stores over HTTP/1.1 on loopback, one attempt per call;"
            + " checkpoint every 100 entries; total wall time %.1f s%n",
        n,
        warmup,
        (System.nanoTime() - start) / 1e9);
    out.println();
    out.println(
        "| store | measurement | n | p50 ms | x raw create | per second | requests/op |"
            + " bytes put/op |");
    out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    all.forEach(out::println);
  }

  private void run() throws Exception {
    CountingObjectStore store = target.store();
    byte[] entrySized = new byte[300];
    new Random(1).nextBytes(entrySized);
    Measurement raw =
        StoreFloorBenchmark.measure(
            target,
            "raw PUT If-None-Match: * (new key, 300 B)",
            warmup,
            n,
            i -> {
              PutOutcome outcome =
                  store.put(BUCKET, "raw-create/" + i, entrySized, PutOptions.ifAbsent()).join();
              if (!(outcome instanceof PutOutcome.Written)) {
                throw new IllegalStateException("raw create answered " + outcome);
              }
            });
    rawCreateMillis = raw.p50Millis();
    latencyRow(raw);

    StrictAsyncClient client = client();
    latencyRow(
        StoreFloorBenchmark.measure(
            target, "put, awaited", warmup, n, i -> await(client.put("k" + i % 20, value(i)))));
    latencyRow(
        StoreFloorBenchmark.measure(
            target, "get (reads the next slot)", warmup, n, i -> expect(await(client.get("k0")))));

    for (int callers : new int[] {1, 8, 64}) {
      concurrentPuts(callers, Math.max(n, callers * 20));
    }
    contendingClients(8, Math.max(20, n / 8));
    counterTransactions(8, Math.max(10, n / 20));
    openAfter(openWrites); // a multiple of the checkpoint interval: the best case
    openAfter(openWrites + 99); // 99 entries after the newest checkpoint: the worst case
    for (int keys : new int[] {10, 1_000, 100_000}) {
      bytesPerPut(keys, Math.min(n, 300));
    }
  }

  private StrictAsyncClient client() {
    return client("strict-" + ++manifests + ".json");
  }

  private StrictAsyncClient client(String manifest) {
    StrictAsyncClient client =
        StrictAsyncClient.create(
            Mps3Config.builder()
                .store(traffic)
                .bucket(BUCKET)
                .manifest(manifest)
                .strictProtocol()
                .pollInterval(Duration.ofHours(1))
                .build());
    clients.add(client);
    return client;
  }

  private void concurrentPuts(int callers, int total) {
    StrictAsyncClient client = client();
    await(client.put("warm", 0));
    Semaphore slots = new Semaphore(callers);
    CountingObjectStore store = target.store();
    progress(callers + " concurrent callers");
    store.reset();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      slots.acquireUninterruptibly();
      puts.add(client.put("k" + i % 100, value(i)).whenComplete((r, e) -> slots.release()));
    }
    puts.forEach(StrictBenchmark::await);
    row(
        "puts from one client, " + callers + " concurrent callers",
        total,
        Double.NaN,
        total / seconds(start),
        (double) store.total() / total,
        (double) store.bytesPut() / total);
  }

  private void contendingClients(int writers, int each) throws Exception {
    String manifest = "strict-" + ++manifests + ".json";
    List<StrictAsyncClient> group = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      group.add(client(manifest));
      await(group.get(w).put("warm/" + w, 0));
    }
    progress(writers + " contending clients");
    target.store().reset();
    long start = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      StrictAsyncClient c = group.get(w);
      int writer = w;
      done.add(
          threads.submit(
              () -> {
                for (int i = 0; i < each; i++) {
                  await(c.put("w" + writer + "/k" + i % 10, value(i)));
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(10, TimeUnit.MINUTES);
    }
    threads.shutdown();
    int total = writers * each;
    row(
        writers + " clients putting to one manifest at once (commits)",
        total,
        Double.NaN,
        total / seconds(start),
        (double) target.store().total() / total,
        (double) target.store().bytesPut() / total);
  }

  private void counterTransactions(int writers, int each) throws Exception {
    String manifest = "strict-" + ++manifests + ".json";
    List<StrictAsyncClient> group = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      group.add(client(manifest));
    }
    progress(writers + " clients incrementing one counter");
    target.store().reset();
    long start = System.nanoTime();
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (StrictAsyncClient c : group) {
      done.add(
          threads.submit(
              () -> {
                for (int i = 0; i < each; i++) {
                  await(
                      c.transaction(
                          tx -> {
                            tx.put("counter", tx.get("counter", Integer.class).orElse(0) + 1);
                            return null;
                          }));
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(10, TimeUnit.MINUTES);
    }
    threads.shutdown();
    int total = writers * each;
    JsonNode counter = await(group.get(0).get("counter")).orElseThrow();
    if (counter.asInt() != total) {
      throw new IllegalStateException("counter is " + counter + ", expected " + total);
    }
    row(
        writers + " clients incrementing one counter (transactions)",
        total,
        Double.NaN,
        total / seconds(start),
        (double) target.store().total() / total,
        (double) target.store().bytesPut() / total);
  }

  private void openAfter(int writes) {
    String manifest = "strict-" + ++manifests + ".json";
    StrictAsyncClient writer = client(manifest);
    progress("writing " + writes + " entries to open");
    for (int i = 0; i < writes; i++) {
      await(writer.put("k" + i % 1000, value(i)));
    }
    awaitCheckpoints();
    target.store().reset();
    long start = System.nanoTime();
    StrictAsyncClient reader = client(manifest);
    await(reader.keys("")); // the whole state: a first get reads one key cold (design 0022)
    long nanos = System.nanoTime() - start;
    row(
        "open after " + writes + " writes (first keys of a new client)",
        1,
        nanos / 1e6,
        Double.NaN,
        (double) target.store().total(),
        Double.NaN);

    target.store().reset();
    long coldStart = System.nanoTime();
    StrictAsyncClient cold = client(manifest);
    // Counted when the get answers: the open it starts goes on after its callbacks.
    long[] counted =
        await(
            cold.get("k0")
                .thenApply(
                    value -> {
                      expect(value);
                      return new long[] {System.nanoTime(), target.store().total()};
                    }));
    row(
        "cold get after " + writes + " writes (first get of a new client)",
        1,
        (counted[0] - coldStart) / 1e6,
        Double.NaN,
        (double) counted[1],
        Double.NaN);
    await(cold.keys("")); // its open ends before the next measurement
  }

  private void bytesPerPut(int keys, int puts) {
    String manifest = "strict-" + ++manifests + ".json";
    StrictAsyncClient client = client(manifest);
    progress("bytes per put with " + keys + " keys");
    for (int from = 0; from < keys; from += 1000) {
      Map<String, Object> batch = new HashMap<>();
      for (int k = from; k < Math.min(keys, from + 1000); k++) {
        batch.put("key-" + k, k);
      }
      await(client.putAll(batch));
    }
    Random random = new Random(keys);
    awaitCheckpoints(); // the fill's own checkpoints are not the timed puts' cost
    target.store().reset();
    for (int i = 0; i < puts; i++) {
      await(client.put("key-" + random.nextInt(keys), i));
    }
    awaitCheckpoints(); // those the timed puts made due are
    row(
        "put with " + keys + " keys in the manifest",
        puts,
        Double.NaN,
        Double.NaN,
        (double) target.store().total() / puts,
        (double) target.store().bytesPut() / puts);
  }

  /**
   * Waits until no call is in flight: checkpoints are written after the put that makes them due.
   */
  private void awaitCheckpoints() {
    try {
      traffic.awaitQuiet(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for checkpoints", e);
    }
  }

  private void latencyRow(Measurement m) {
    row(m.operation(), m.n(), m.p50Millis(), m.opsPerSecond(), m.requestsPerOp(), Double.NaN);
  }

  private void row(
      String what, int count, double p50, double perSecond, double requests, double bytes) {
    rows.add(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %s | %s | %s | %.2f | %s |",
            target.name(),
            what,
            count,
            Double.isNaN(p50) ? "" : String.format(Locale.ROOT, "%.2f", p50),
            Double.isNaN(p50) || rawCreateMillis == 0
                ? ""
                : String.format(Locale.ROOT, "%.2f", p50 / rawCreateMillis),
            Double.isNaN(perSecond) ? "" : String.format(Locale.ROOT, "%.0f", perSecond),
            requests,
            Double.isNaN(bytes) ? "" : String.format(Locale.ROOT, "%.0f", bytes)));
  }

  private static void progress(String what) {
    System.err.println("[bench] strict: " + what + " ...");
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static Map<String, Object> value(int n) {
    return Map.of("n", n, "text", TEXT);
  }

  private static void expect(Optional<JsonNode> value) {
    if (value.isEmpty()) {
      throw new IllegalStateException("a read returned nothing; the numbers would be wrong");
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(60, TimeUnit.SECONDS).join();
  }
}
