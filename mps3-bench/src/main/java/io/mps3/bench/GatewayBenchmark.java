package io.mps3.bench;

import io.mps3.spi.GetResult;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.CountingObjectStore;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the gateway ({@code mps3-gateway}) costs over going straight to the store: GET and PUT of 1
 * KiB through the gateway and direct to the same S3Proxy on loopback, one client one call at a time
 * (latency), then many clients at once (throughput). The direct figures are the floor. The
 * one-client cells also time four proxies that check nothing, to tell what a proxy costs from what
 * the gateway's checks cost: a raw TCP relay ({@link RawRelay}: bytes copied both ways, no HTTP),
 * the floor of any proxy, one extra loopback hop; a blocking HTTP relay ({@link BlockingHttpRelay}:
 * a thread per connection, messages framed by {@code Content-Length}), the floor of an HTTP-aware
 * proxy; Jetty's server with a blocking socket upstream ({@link BlockingUpstream}); and the bare
 * pass-through on Jetty's server and Jetty's HttpClient ({@link PassThroughProxy}). Jetty's server
 * is what the gateway ran on before its own blocking one (design 0023).
 *
 * <p>Through the gateway every request is checked as in production: SigV4 with session credentials
 * from the gateway's STS (an ID token from an OpenID issuer in this JVM, see {@link GatewayRig}), a
 * CEL rule, then re-signed and forwarded. Sequential cells alternate between the six paths in
 * blocks of {@value #BLOCK} calls, so that load from outside the run falls on all alike.
 *
 * <p>Prints a Markdown report to standard output and progress to standard error. Arguments: {@code
 * [n [warmup]]}, else the system properties {@code mps3.bench.n} (default 1000 per path and cell)
 * and {@code mps3.bench.warmup} (default 3000 per path: with 500, a profile showed the JIT still
 * compiling through the timed calls, 40% of the CPU, and a direct PUT took 0.60 ms against 0.37 to
 * 0.43 ms with 3000 in runs of the same hour); {@code mps3.bench.clients} (50) and {@code
 * mps3.bench.perClient} (100 timed calls each, after 20 untimed) size the concurrent cells; {@code
 * mps3.bench.clients=0} skips them.
 *
 * <p>Reports, never asserts; it stops when a store answers something other than the expected
 * outcome.
 *
 * @since 0.1
 */
public final class GatewayBenchmark {

  static final int BLOCK = 50;
  private static final int BODY_BYTES = 1024;
  private static final int CONCURRENT_WARMUP = 20;
  private static final String GET = "GET 1 KiB";
  private static final String PUT = "PUT 1 KiB";

  private final byte[] body = new byte[BODY_BYTES];

  private GatewayBenchmark() {
    new Random(42).nextBytes(body);
  }

  /** One call of a cell, on a client, for the object {@code key}. */
  @FunctionalInterface
  private interface Call {
    void run(CountingObjectStore store, String key);
  }

  /** Runs the benchmark; see the class documentation for arguments. */
  public static void main(String[] args) throws Exception {
    String nArg = args.length > 0 ? args[0] : System.getProperty("mps3.bench.n", "1000");
    String warmupArg = args.length > 1 ? args[1] : System.getProperty("mps3.bench.warmup", "3000");
    int n = StoreFloorBenchmark.atLeast(BLOCK, nArg, "n");
    int warmup = StoreFloorBenchmark.atLeast(0, warmupArg, "warmup");
    int clients =
        StoreFloorBenchmark.atLeast(
            0, System.getProperty("mps3.bench.clients", "50"), "mps3.bench.clients");
    int perClient =
        StoreFloorBenchmark.atLeast(
            1, System.getProperty("mps3.bench.perClient", "100"), "mps3.bench.perClient");

    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    GatewayBenchmark benchmark = new GatewayBenchmark();
    List<GatewayRow[]> groups = new ArrayList<>();
    String storeName;
    long relayConnects;
    try (GatewayRig rig = GatewayRig.start()) {
      storeName = rig.storeName();
      try (CountingObjectStore direct = rig.direct();
          CountingObjectStore relay = rig.throughRelay();
          CountingObjectStore httpRelay = rig.throughHttpRelay();
          CountingObjectStore blockingPassThrough = rig.throughBlockingPassThrough();
          CountingObjectStore passThrough = rig.throughPassThrough();
          CountingObjectStore gateway = rig.throughGateway("bench-user")) {
        String key = "users/bench-user/sequential";
        CountingObjectStore[] paths = {
          direct, relay, httpRelay, blockingPassThrough, passThrough, gateway
        };
        Call put = benchmark::put;
        Call get = benchmark::get;
        groups.add(benchmark.sequential(PUT, paths, key, warmup, n, put));
        groups.add(benchmark.sequential(GET, paths, key, warmup, n, get));
        relayConnects = rig.relayUpstreamConnects();
      }
      for (String operation : clients == 0 ? List.<String>of() : List.of(PUT, GET)) {
        Call call = operation.equals(PUT) ? benchmark::put : benchmark::get;
        GatewayRow direct = benchmark.concurrent(rig, false, operation, clients, perClient, call);
        GatewayRow gateway = benchmark.concurrent(rig, true, operation, clients, perClient, call);
        groups.add(new GatewayRow[] {direct, gateway});
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    PrintStream out = System.out;
    out.println("## Gateway");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.printf(
        Locale.ROOT,
        "- method: %s in this JVM, reached directly (its own keys) or through mps3-gateway (STS"
            + " session credentials, SigV4 check, one CEL rule, re-signed forward) on loopback over"
            + " HTTP/1.1, one attempt per call, %d-byte bodies; 1 client: %d timed calls per path"
            + " after %d untimed, the paths (direct, a raw TCP relay, a blocking HTTP relay, Jetty's"
            + " server with a blocking socket upstream, a bare pass-through proxy on Jetty's server"
            + " and client, the gateway on its own server) alternating in blocks of %d (the raw"
            + " relay opened %d"
            + " connection(s) to the store); CPU is the whole JVM's over the timed calls; %d"
            + " clients: each its own"
            + " client (and, through the gateway, its own user and session) making %d timed calls"
            + " after %d untimed, all at once, on a key of its own%n",
        storeName,
        BODY_BYTES,
        n,
        warmup,
        BLOCK,
        relayConnects,
        clients,
        perClient,
        CONCURRENT_WARMUP);
    out.printf(Locale.ROOT, "- total wall time: %.1f s (server start-ups included)%n", seconds);
    out.println();
    out.println(GatewayRow.TABLE_HEADER);
    for (GatewayRow[] group : groups) {
      for (GatewayRow row : group) {
        out.println(row.markdownRow(group[0]));
      }
    }
  }

  /**
   * One client one call at a time on each path (direct, pass-through, gateway), alternating in
   * blocks; the object exists before the first call (a GET finds it, a PUT overwrites it).
   */
  private GatewayRow[] sequential(
      String operation, CountingObjectStore[] stores, String key, int warmup, int n, Call call) {
    System.err.printf(Locale.ROOT, "[bench] 1 client: %s ...%n", operation);
    put(stores[0], key);
    for (int i = 0; i < warmup; i++) {
      for (CountingObjectStore store : stores) {
        call.run(store, key);
      }
    }
    for (CountingObjectStore store : stores) {
      store.reset();
    }
    int timed = n - n % BLOCK;
    long[][] latencies = new long[stores.length][timed];
    long[] walls = new long[stores.length];
    long[] cpus = new long[stores.length];
    for (int block = 0; block < timed; block += BLOCK) {
      for (int path = 0; path < stores.length; path++) {
        long blockStart = System.nanoTime();
        long cpuStart = Machine.processCpuNanos();
        for (int i = block; i < block + BLOCK; i++) {
          long callStart = System.nanoTime();
          call.run(stores[path], key);
          latencies[path][i] = System.nanoTime() - callStart;
        }
        cpus[path] += Machine.processCpuNanos() - cpuStart;
        walls[path] += System.nanoTime() - blockStart;
      }
    }
    String[] names = {
      "direct",
      "raw TCP relay",
      "blocking HTTP relay",
      "Jetty server, blocking upstream",
      "pass-through proxy",
      "gateway"
    };
    GatewayRow[] rows = new GatewayRow[stores.length];
    for (int path = 0; path < stores.length; path++) {
      rows[path] =
          GatewayRow.of(
              names[path],
              operation,
              1,
              latencies[path],
              walls[path],
              stores[path].total(),
              cpus[path]);
    }
    return rows;
  }

  /**
   * {@code clients} clients at once on one path, each on its own key (written first), from a
   * barrier after their warm-up to the last one's last call.
   */
  private GatewayRow concurrent(
      GatewayRig rig,
      boolean throughGateway,
      String operation,
      int clients,
      int perClient,
      Call call)
      throws Exception {
    String path = throughGateway ? "gateway" : "direct";
    System.err.printf(Locale.ROOT, "[bench] %d clients, %s: %s ...%n", clients, path, operation);
    List<CountingObjectStore> stores = new ArrayList<>();
    AtomicLong timedStart = new AtomicLong();
    AtomicLong cpuStart = new AtomicLong();
    CyclicBarrier ready =
        new CyclicBarrier(
            clients,
            () -> {
              cpuStart.set(Machine.processCpuNanos());
              timedStart.set(System.nanoTime());
            });
    long[] latencies = new long[clients * perClient];
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    try {
      for (int c = 0; c < clients; c++) {
        String user = String.format(Locale.ROOT, "bench-user-%02d", c);
        stores.add(throughGateway ? rig.throughGateway(user) : rig.direct());
      }
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        CountingObjectStore store = stores.get(c);
        String key = String.format(Locale.ROOT, "users/bench-user-%02d/concurrent", c);
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    put(store, key);
                    for (int i = 0; i < CONCURRENT_WARMUP; i++) {
                      call.run(store, key);
                    }
                  } catch (RuntimeException e) {
                    ready.reset(); // the others stop waiting (BrokenBarrierException)
                    throw e;
                  }
                  store.reset();
                  await(ready);
                  for (int i = 0; i < perClient; i++) {
                    long callStart = System.nanoTime();
                    call.run(store, key);
                    latencies[client * perClient + i] = System.nanoTime() - callStart;
                  }
                },
                threads));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
      long wall = System.nanoTime() - timedStart.get();
      long cpu = Machine.processCpuNanos() - cpuStart.get();
      long requests = stores.stream().mapToLong(CountingObjectStore::total).sum();
      return GatewayRow.of(path, operation, clients, latencies, wall, requests, cpu);
    } finally {
      threads.shutdown();
      stores.forEach(CountingObjectStore::close);
    }
  }

  private void put(CountingObjectStore store, String key) {
    PutOutcome outcome = store.put(GatewayRig.BUCKET, key, body, PutOptions.unconditional()).join();
    if (!(outcome instanceof PutOutcome.Written)) {
      throw unexpected(outcome + " to a PUT of " + key);
    }
  }

  private void get(CountingObjectStore store, String key) {
    GetResult result = store.get(GatewayRig.BUCKET, key).join();
    if (!(result instanceof GetResult.Found found) || found.object().body().length != BODY_BYTES) {
      throw unexpected(result + " to a GET of " + key);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted before the timed calls", e);
    } catch (BrokenBarrierException e) {
      throw new IllegalStateException("another client failed before the timed calls", e);
    }
  }

  private static IllegalStateException unexpected(String what) {
    return new IllegalStateException("the store answered " + what + "; the numbers would be wrong");
  }
}
