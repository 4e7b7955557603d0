package io.mps3.bench;

import io.mps3.Protocol;
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

/**
 * How the cost of a put and of opening a manifest grows with the manifest's size, for both
 * protocols (issue #13): per store and protocol, a manifest filled with batches to 1,000, 10,000,
 * 100,000 and 1,000,000 keys (strict) or 1,000 and 10,000 (causal, whose entries carry the whole
 * state), values of about 60 bytes; then the bytes written and the requests per single put (200,
 * checkpoints included), a new client's open (its first {@code keys}: requests, bytes read, median
 * time of three), the heap that client holds per key, and a new client's first get ("cold get": a
 * strict one reads only the key's segments, design 0022; counted when it answers). Next to it, the
 * raw floor of the same run: one PUT and one GET of a 60-byte object. See {@link ScaleCell} for the
 * method.
 *
 * <p>Prints a Markdown report to standard output and progress to standard error. System properties:
 * {@code mps3.bench.stores} ({@code local,s3proxy}); {@code mps3.bench.strictKeys} ({@code
 * 1000,10000,100000,1000000}) and {@code mps3.bench.causalKeys} ({@code 1000,10000}), each also per
 * store, e.g. {@code mps3.bench.strictKeys.s3proxy}; {@code mps3.bench.puts} (200), {@code
 * mps3.bench.batch} (1000 keys per {@code putAll}), {@code mps3.bench.opens} (3); {@code
 * mps3.bench.n} (200) and {@code mps3.bench.warmup} (50) calls per floor cell. A million strict
 * keys need a few GiB of heap ({@code JAVA_OPTS=-Xmx8g}). Reports, never asserts.
 */
public final class ScaleBenchmark {

  private static final int FLOOR_BYTES = 60;
  private static final String FLOOR_PREFIX = "scale-floor/";

  private ScaleBenchmark() {}

  /** Runs the benchmark; see the class documentation. */
  public static void main(String[] args) throws Exception {
    ScaleCell.Sizes sizes =
        new ScaleCell.Sizes(
            integer("mps3.bench.batch", 1000, 1),
            integer("mps3.bench.puts", 200, 1),
            integer("mps3.bench.opens", 3, 1));
    int n = integer("mps3.bench.n", 200, 1);
    int warmup = integer("mps3.bench.warmup", 50, 0);
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    List<Measurement> floor = new ArrayList<>();
    List<ScaleRow> rows = new ArrayList<>();
    List<String> sizeLines = new ArrayList<>();
    for (String store : StoreFloorBenchmark.stores("local,s3proxy")) {
      List<Integer> strict = keys(Protocol.STRICT, store, "1000,10000,100000,1000000");
      List<Integer> causal = keys(Protocol.CAUSAL, store, "1000,10000");
      try (BenchTarget target = StoreFloorBenchmark.target(store)) {
        sizeLines.add(target.name() + ": strict " + strict + ", causal " + causal + " keys");
        floor.addAll(floor(target, warmup, n));
        ScaleCell cell = new ScaleCell(target, new TrafficRecorder(target.store()), sizes);
        for (int keys : strict) {
          rows.add(cell.run(Protocol.STRICT, keys));
        }
        for (int keys : causal) {
          rows.add(cell.run(Protocol.CAUSAL, keys));
        }
      }
    }

    PrintStream out = System.out;
    out.println("## Scale");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.println("- max heap: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    out.printf(
        Locale.ROOT,
        "- method: manifests filled with putAll batches of %d keys, values of about 60 bytes;"
            + " %d single puts of random existing keys, awaited one at a time, counted until the"
            + " client's background writes end; open = a new client's first keys (the whole state:"
            + " requests and bytes of the first, median ms of %d); cold get = a new client's first"
            + " get, counted when it answers (same counts and median); heap = used heap after"
            + " full GC with an opened client minus before, per key; clients never poll,"
            + " autoclean off; S3 stores"
            + " over HTTP/1.1 on loopback, one attempt per call; total wall time %.1f s%n",
        sizes.batch(),
        sizes.puts(),
        sizes.opens(),
        (System.nanoTime() - start) / 1e9);
    sizeLines.forEach(line -> out.println("- sizes on " + line));
    out.println();
    out.println(Measurement.TABLE_HEADER);
    floor.forEach(m -> out.println(m.markdownRow()));
    out.println();
    out.println(ScaleRow.TABLE_HEADER);
    rows.forEach(row -> out.println(row.markdownRow()));
  }

  /** The raw floor: a PUT and a GET of a 60-byte object, one request each. */
  static List<Measurement> floor(BenchTarget target, int warmup, int n) {
    CountingObjectStore store = target.store();
    byte[] body = new byte[FLOOR_BYTES];
    new Random(FLOOR_BYTES).nextBytes(body);
    String key = FLOOR_PREFIX + "object";
    List<Measurement> rows = new ArrayList<>();
    rows.add(
        StoreFloorBenchmark.measure(
            target,
            "raw PUT " + FLOOR_BYTES + " B",
            warmup,
            n,
            i -> {
              PutOutcome outcome =
                  store.put(BenchTarget.BUCKET, key, body, PutOptions.unconditional()).join();
              if (!(outcome instanceof PutOutcome.Written)) {
                throw new IllegalStateException("raw PUT answered " + outcome);
              }
            }));
    rows.add(
        StoreFloorBenchmark.measure(
            target,
            "raw GET " + FLOOR_BYTES + " B",
            warmup,
            n,
            i -> {
              GetResult result = store.get(BenchTarget.BUCKET, key).join();
              if (!(result instanceof GetResult.Found)) {
                throw new IllegalStateException("raw GET answered " + result);
              }
            }));
    return rows;
  }

  /** The manifest sizes of a protocol on a store: the per-store property, else the general one. */
  private static List<Integer> keys(Protocol protocol, String store, String defaults) {
    String property = "mps3.bench." + protocol.name().toLowerCase(Locale.ROOT) + "Keys";
    String value =
        System.getProperty(property + "." + store, System.getProperty(property, defaults));
    List<Integer> keys = new ArrayList<>();
    for (String size : value.split(",", -1)) {
      if (!size.isBlank()) {
        keys.add(StoreFloorBenchmark.atLeast(1, size, property));
      }
    }
    return keys;
  }

  private static int integer(String property, int defaultValue, int min) {
    return StoreFloorBenchmark.atLeast(
        min, System.getProperty(property, Integer.toString(defaultValue)), property);
  }
}
