package io.mps3.bench;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.CountingObjectStore;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The raw store floor: what one request costs on each store, before any MPS3 protocol runs over it.
 * Each cell times one operation, sequentially, one request at a time, after a warm-up that is not
 * timed: GET of a 1 KiB object, unconditional PUT of 1 KiB, PUT with {@code If-None-Match: *} to a
 * new key, GET answered 304 ({@code If-None-Match} with the current ETag), and LIST of a prefix
 * holding 100 keys (one page). Requests are counted by a {@link CountingObjectStore} around the
 * store.
 *
 * <p>Prints a Markdown report to standard output and progress to standard error. Arguments: {@code
 * [n [warmup]]}, else the system properties {@code mps3.bench.n} (default 1000) and {@code
 * mps3.bench.warmup} (default 200); {@code mps3.bench.stores} picks stores from {@code
 * local,s3proxy,s3mock} (default all).
 *
 * <p>Reports, never asserts; it stops only when a store answers something other than the
 * operation's expected outcome, since the numbers would then measure something else.
 *
 * @since 0.1
 */
public final class StoreFloorBenchmark {

  private static final int BODY_BYTES = 1024;
  private static final int LIST_KEYS = 100;
  private static final String PREFIX = "floor/";
  private static final String BUCKET = BenchTarget.BUCKET;

  /** The floor's GET of an existing object. */
  static final String GET = "GET 1 KiB";

  /** The floor's unconditional PUT, which client puts are compared to. */
  static final String PUT = "PUT 1 KiB";

  /** The floor's GET answered 304, which warm client reads are compared to. */
  static final String GET_304 = "GET If-None-Match: etag (304)";

  /** The stores a benchmark can run against, by the name {@code mps3.bench.stores} uses. */
  static final Map<String, Supplier<BenchTarget>> TARGETS = new LinkedHashMap<>();

  static {
    TARGETS.put("local", BenchTarget::localDirectory);
    TARGETS.put("s3proxy", BenchTarget::s3Proxy);
    TARGETS.put("s3mock", BenchTarget::s3Mock);
  }

  private final int n;
  private final int warmup;
  private final byte[] body = new byte[BODY_BYTES];

  StoreFloorBenchmark(int n, int warmup) {
    this.n = n;
    this.warmup = warmup;
    new Random(42).nextBytes(body);
  }

  /** One timed operation; {@code i} numbers the call, warm-up included, so keys can be fresh. */
  @FunctionalInterface
  interface Operation {
    void run(int i);
  }

  /** Runs the benchmark; see the class documentation for arguments. */
  public static void main(String[] args) throws Exception {
    String nArg = args.length > 0 ? args[0] : System.getProperty("mps3.bench.n", "1000");
    String warmupArg = args.length > 1 ? args[1] : System.getProperty("mps3.bench.warmup", "200");
    int n = atLeast(1, nArg, "n");
    int warmup = atLeast(0, warmupArg, "warmup");
    List<String> stores = stores(String.join(",", TARGETS.keySet()));

    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    StoreFloorBenchmark benchmark = new StoreFloorBenchmark(n, warmup);
    List<Measurement> rows = new ArrayList<>();
    for (String store : stores) {
      try (BenchTarget target = target(store)) {
        rows.addAll(benchmark.run(target));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    PrintStream out = System.out;
    out.println("## Raw store floor");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.printf(
        Locale.ROOT,
        "- method: sequential, one call at a time; %d timed calls per cell after %d untimed"
            + " warm-up calls; %d-byte bodies; S3 stores over HTTP/1.1 on loopback, one attempt"
            + " per call%n",
        n,
        warmup,
        BODY_BYTES);
    out.printf(Locale.ROOT, "- total wall time: %.1f s (server start-ups included)%n", seconds);
    out.println();
    out.println(Measurement.TABLE_HEADER);
    rows.forEach(row -> out.println(row.markdownRow()));
  }

  /** The stores named by {@code mps3.bench.stores}, else by {@code defaults}, checked. */
  static List<String> stores(String defaults) {
    List<String> stores = List.of(System.getProperty("mps3.bench.stores", defaults).split(","));
    for (String store : stores) {
      if (!TARGETS.containsKey(store)) {
        throw new IllegalArgumentException(
            "unknown store '" + store + "' in mps3.bench.stores; known: " + TARGETS.keySet());
      }
    }
    return stores;
  }

  /** Starts the target of a store named by {@link #stores}. */
  static BenchTarget target(String store) {
    Supplier<BenchTarget> target = TARGETS.get(store);
    if (target == null) {
      throw new IllegalArgumentException(
          "unknown store '" + store + "'; known: " + TARGETS.keySet());
    }
    return target.get();
  }

  /** Every floor cell: GET, PUT, conditional PUT, 304 GET and LIST. */
  List<Measurement> run(BenchTarget target) {
    return run(target, true);
  }

  /** The cells client operations are compared to: GET, PUT and the 304 GET. */
  List<Measurement> runComparedCells(BenchTarget target) {
    return run(target, false);
  }

  private List<Measurement> run(BenchTarget target, boolean all) {
    CountingObjectStore store = target.store();
    List<Measurement> rows = new ArrayList<>();

    String object = PREFIX + "get/object";
    String etag = written(store.put(BUCKET, object, body, PutOptions.unconditional()).join());
    rows.add(
        measure(target, GET, i -> expect(store.get(BUCKET, object).join(), GetResult.Found.class)));

    String overwritten = PREFIX + "put/object";
    rows.add(
        measure(
            target,
            PUT,
            i -> written(store.put(BUCKET, overwritten, body, PutOptions.unconditional()).join())));

    if (all) {
      rows.add(
          measure(
              target,
              "PUT If-None-Match: * (new key)",
              i -> {
                String key = PREFIX + "put-if-absent/" + i;
                written(store.put(BUCKET, key, body, PutOptions.ifAbsent()).join());
              }));
    }

    GetOptions ifNoneMatch = GetOptions.ifNoneMatch(etag);
    rows.add(
        measure(
            target,
            GET_304,
            i ->
                expect(
                    store.get(BUCKET, object, ifNoneMatch).join(), GetResult.NotModified.class)));

    if (!all) {
      return rows;
    }
    for (int k = 0; k < LIST_KEYS; k++) {
      String key = String.format(Locale.ROOT, "%slist/key-%03d", PREFIX, k);
      written(store.put(BUCKET, key, body, PutOptions.unconditional()).join());
    }
    ListRequest listing = ListRequest.prefix(PREFIX + "list/");
    rows.add(
        measure(
            target,
            "LIST 100 keys (1 page)",
            i -> {
              ListPage page = store.list(BUCKET, listing).join();
              if (page.objects().size() != LIST_KEYS || page.nextContinuationToken() != null) {
                throw unexpected(
                    page.objects().size() + " keys, next token " + page.nextContinuationToken());
              }
            }));
    return rows;
  }

  private Measurement measure(BenchTarget target, String operation, Operation op) {
    return measure(target, operation, warmup, n, op);
  }

  /**
   * Warms up untimed, then times {@code n} sequential calls and counts their requests: the target's
   * counts are reset before the timed loop and hold its requests afterwards.
   */
  static Measurement measure(
      BenchTarget target, String operation, int warmup, int n, Operation op) {
    System.err.printf(Locale.ROOT, "[bench] %s: %s ...%n", target.name(), operation);
    for (int i = 0; i < warmup; i++) {
      op.run(i);
    }
    CountingObjectStore store = target.store();
    store.reset();
    long[] latencies = new long[n];
    long loopStart = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long callStart = System.nanoTime();
      op.run(warmup + i);
      latencies[i] = System.nanoTime() - callStart;
    }
    long wall = System.nanoTime() - loopStart;
    return Measurement.of(target.name(), operation, latencies, wall, store.total());
  }

  private static String written(PutOutcome outcome) {
    return expect(outcome, PutOutcome.Written.class).etag();
  }

  private static <T> T expect(Object result, Class<T> type) {
    if (!type.isInstance(result)) {
      throw unexpected(result + ", expected " + type.getSimpleName());
    }
    return type.cast(result);
  }

  private static IllegalStateException unexpected(String what) {
    return new IllegalStateException("the store answered " + what + "; the numbers would be wrong");
  }

  /** Parses an integer of at least {@code min}, or fails with a message naming it. */
  static int atLeast(int min, String value, String name) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        name + " must be an integer of at least " + min + ", was '" + value + "'");
  }
}
