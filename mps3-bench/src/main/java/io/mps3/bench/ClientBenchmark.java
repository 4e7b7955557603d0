package io.mps3.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Client operations of the causal protocol next to the raw store floor they are made of, measured
 * in the same run against each store: a put awaited, puts fired back to back, a warm get, a new
 * client's first get after hundreds of puts, and the delay from one client's put to another
 * client's subscription seeing it. Each runs sequentially after an untimed warm-up, on a manifest
 * of its own; the floor's GET, PUT and 304 GET cells run first on the same store, and the put and
 * warm get report their p50 as a multiple of the raw PUT and 304 GET.
 *
 * <p>Prints a Markdown report to standard output and progress to standard error. Arguments: {@code
 * [n [warmup]]}, else the system properties {@code mps3.bench.n} (default 500) and {@code
 * mps3.bench.warmup} (default 200), used by the floor; the put and the warm get time {@code n}
 * calls too, after {@code mps3.bench.clientWarmup} (default 1000: on two busy cores a client's puts
 * took several hundred calls to reach their steady state). {@code mps3.bench.burst} (500), {@code
 * mps3.bench.entries} (400), {@code mps3.bench.opens} (20) and {@code mps3.bench.notifications}
 * (100) size the other cells; {@code mps3.bench.stores} picks stores from {@code
 * local,s3proxy,s3mock} (default {@code local,s3proxy}; S3Mock adds about 90 s).
 *
 * <p>Reports, never asserts; it stops when a read returns a value other than the one written.
 *
 * @since 0.1
 */
public final class ClientBenchmark {

  private static final String DEFAULT_STORES = "local,s3proxy";

  private ClientBenchmark() {}

  /** Runs the benchmark; see the class documentation for arguments. */
  public static void main(String[] args) throws Exception {
    String nArg = args.length > 0 ? args[0] : System.getProperty("mps3.bench.n", "500");
    String warmupArg = args.length > 1 ? args[1] : System.getProperty("mps3.bench.warmup", "200");
    int n = StoreFloorBenchmark.atLeast(1, nArg, "n");
    int warmup = StoreFloorBenchmark.atLeast(0, warmupArg, "warmup");
    ClientOperations.Sizes sizes =
        new ClientOperations.Sizes(
            n,
            warmup,
            property("mps3.bench.clientWarmup", 1000),
            property("mps3.bench.burst", 500),
            property("mps3.bench.entries", 400),
            property("mps3.bench.opens", 20),
            property("mps3.bench.notifications", 100));
    List<String> stores = StoreFloorBenchmark.stores(DEFAULT_STORES);

    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    StoreFloorBenchmark floor = new StoreFloorBenchmark(n, warmup);
    List<Measurement> floorRows = new ArrayList<>();
    List<ClientRow> clientRows = new ArrayList<>();
    for (String store : stores) {
      try (BenchTarget target = StoreFloorBenchmark.target(store)) {
        floorRows.addAll(floor.runComparedCells(target));
        clientRows.addAll(new ClientOperations(target, sizes).run());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    PrintStream out = System.out;
    out.println("## Client operations (causal protocol)");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.printf(
        Locale.ROOT,
        "- method: sequential after untimed warm-up; floor: %d timed calls after %d; put and warm"
            + " get: %d after %d; back to back: one burst of %d puts after one of %d; cold open: %d"
            + " new clients after %d; notification: %d after %d, subscriber polling every %d ms,"
            + " each put after a random pause of 0 to %d ms; values of about 1 KiB; S3 stores over"
            + " HTTP/1.1 on loopback, one attempt per call%n",
        n,
        warmup,
        n,
        sizes.clientWarmup(),
        sizes.burst(),
        sizes.burstWarmup(),
        sizes.opens(),
        sizes.openWarmup(),
        sizes.notifications(),
        sizes.notificationWarmup(),
        ClientOperations.SUBSCRIBER_POLL.toMillis(),
        ClientOperations.SUBSCRIBER_POLL.toMillis());
    out.printf(Locale.ROOT, "- total wall time: %.1f s (server start-ups included)%n", seconds);
    out.println();
    out.println("Raw store floor, same run:");
    out.println();
    out.println(Measurement.TABLE_HEADER);
    floorRows.forEach(row -> out.println(row.markdownRow()));
    out.println();
    out.println("Client operations:");
    out.println();
    out.println(ClientRow.TABLE_HEADER);
    clientRows.forEach(row -> out.println(row.markdownRow(floorRows)));
  }

  private static int property(String name, int defaultValue) {
    String value = System.getProperty(name, Integer.toString(defaultValue));
    return StoreFloorBenchmark.atLeast(name.endsWith("Warmup") ? 0 : 1, value, name);
  }
}
