package io.mps3.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.store.CountingObjectStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The phases of the JavaScript client's benchmark that issue #13 compares against (item 3), with
 * this client alone, so that the two can be run side by side on the same server: one client makes
 * 400 sequential awaited puts (distinct keys {@code key-0} ... {@code key-399}, values of about 60
 * bytes, so the manifest ends with 400 keys and every entry carries that state); then new clients'
 * first get ("cold open": time and requests, median of several new clients); then one client puts
 * and another, already open, gets the same key ("put then get by another": time and requests per
 * round). The raw floor of the same run (a PUT and a GET of 60 bytes) is printed above.
 *
 * <p>A causal open reads every entry of the 5 s before the newest (PROTOCOL.md A4, design 0018), so
 * its cost follows the writer's speed. The JavaScript client makes about 35 puts/s against S3Proxy
 * here, so fewer of its 400 entries fall inside the window; {@code mps3.bench.paces} runs the
 * phases once per pace (puts per second, 0 for as fast as the client goes), each on a manifest of
 * its own, to compare at the same number of entries too.
 *
 * <p>Prints a Markdown report to standard output and progress to standard error. System properties:
 * {@code mps3.bench.stores} ({@code local,s3proxy}), {@code mps3.bench.paces} ({@code 0,35}),
 * {@code mps3.bench.puts} (400), {@code mps3.bench.keys} (400: put {@code i} writes {@code key-(i %
 * keys)}), {@code mps3.bench.opens} (5, after 1 untimed), {@code mps3.bench.rounds} (100 put then
 * get rounds, after 10 untimed), {@code mps3.bench.n} (200) and {@code mps3.bench.warmup} (50)
 * calls per floor cell. Reports, never asserts; it stops when a read returns another value than the
 * one written.
 */
public final class JsPhasesBenchmark {

  private static final long TIMEOUT_SECONDS = 120;
  private static final long WINDOW_MILLIS = 5000;
  private static final int OPEN_WARMUP = 3;
  private static final int ROUND_WARMUP = 10;
  private static final int RAW_REPEATS = 5;
  private static final int PARALLEL_LIMIT = 16;

  private JsPhasesBenchmark() {}

  /** Sizes shared by every cell. */
  private record Sizes(int puts, int keys, int opens, int rounds) {}

  /** Runs the benchmark; see the class documentation. */
  public static void main(String[] args) throws Exception {
    Sizes sizes =
        new Sizes(
            integer("mps3.bench.puts", 400, 1),
            integer("mps3.bench.keys", 400, 1),
            integer("mps3.bench.opens", 5, 1),
            integer("mps3.bench.rounds", 100, 1));
    List<Integer> paces = new ArrayList<>();
    for (String pace : System.getProperty("mps3.bench.paces", "0,35").split(",", -1)) {
      paces.add(StoreFloorBenchmark.atLeast(0, pace, "mps3.bench.paces"));
    }
    int n = integer("mps3.bench.n", 200, 1);
    int warmup = integer("mps3.bench.warmup", 50, 0);
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    List<Measurement> floor = new ArrayList<>();
    List<String> rows = new ArrayList<>();
    List<String> timelines = new ArrayList<>();
    for (String store : StoreFloorBenchmark.stores("local,s3proxy")) {
      try (BenchTarget target = StoreFloorBenchmark.target(store)) {
        floor.addAll(ScaleBenchmark.floor(target, warmup, n));
        for (int pace : paces) {
          new JsPhasesBenchmark.Cell(target, sizes, pace).run(rows, timelines);
        }
      }
    }

    PrintStream out = System.out;
    out.println("## The JavaScript client's benchmark phases, this client alone");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.printf(
        Locale.ROOT,
        "- method: %d sequential awaited puts by one client, put i to key-(i %% %d), values of"
            + " about 60 bytes, paced at %s puts/s (0: unpaced); cold open = a new client's first"
            + " get of the last key written, median of %d new clients after %d untimed, requests"
            + " of the first; put then get = client A puts a key (awaited), then client B (open"
            + " since the cold opens, never polling) gets it, %d rounds after %d untimed; clients"
            + " never poll, autoclean off; S3 stores over HTTP/1.1 on loopback, one attempt per"
            + " call; total wall time %.1f s%n",
        sizes.puts(),
        sizes.keys(),
        paces,
        sizes.opens(),
        OPEN_WARMUP,
        sizes.rounds(),
        ROUND_WARMUP,
        (System.nanoTime() - start) / 1e9);
    out.println();
    out.println(Measurement.TABLE_HEADER);
    floor.forEach(m -> out.println(m.markdownRow()));
    out.println();
    out.println(
        "| store | pace (puts/s) | phase | n | p50 ms | p99 ms | mean ms | min ms | max ms"
            + " | requests/op | notes |");
    out.println("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    rows.forEach(out::println);
    out.println();
    out.println(
        "Where the time went: the first timed cold open, and B's get of median time (calls by"
            + " start; a round begins when a call starts after every earlier one has ended):");
    out.println();
    timelines.forEach(line -> out.println("- " + line));
  }

  /** The three phases on one manifest of one store, at one pace. */
  private static final class Cell {
    private final BenchTarget target;
    private final Sizes sizes;
    private final int pace;
    private final String manifest;
    private final CallTimeline timeline;

    Cell(BenchTarget target, Sizes sizes, int pace) {
      this.target = target;
      this.sizes = sizes;
      this.pace = pace;
      this.manifest = "js-phases/pace-" + pace + ".json";
      this.timeline = new CallTimeline(target.store(), manifest);
    }

    void run(List<String> rows, List<String> timelines) throws InterruptedException {
      CountingObjectStore store = target.store();
      progress(sizes.puts() + " awaited puts");
      long[] latencies = new long[sizes.puts()];
      long[] ends = new long[sizes.puts()];
      store.reset();
      long loopStart = System.nanoTime();
      try (Mps3AsyncClient writer = client(store)) {
        for (int i = 0; i < latencies.length; i++) {
          if (pace > 0) {
            long due = loopStart + TimeUnit.SECONDS.toNanos(i) / pace;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
          long callStart = System.nanoTime();
          await(writer.put(key(i), ScaleCell.value(i)));
          ends[i] = System.nanoTime();
          latencies[i] = ends[i] - callStart;
        }
      }
      long wall = ends[ends.length - 1] - loopStart;
      Measurement puts = Measurement.of(target.name(), "put", latencies, wall, store.total());
      int inWindow = 0;
      for (long end : ends) {
        if (ends[ends.length - 1] - end < TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS)) {
          inWindow++;
        }
      }
      rows.add(
          row(
              "put, awaited",
              puts,
              latencies,
              ClientRow.requests(store.counts(), puts.n()),
              String.format(
                  Locale.ROOT,
                  "%.0f puts/s; %d of %d acknowledged in the last 5 s",
                  puts.opsPerSecond(),
                  inWindow,
                  sizes.puts())));

      progress(sizes.opens() + " cold opens");
      int last = sizes.puts() - 1;
      long[] opens = new long[sizes.opens()];
      String openRequests = "";
      String timelineLine = "";
      List<String> entryKeys = List.of();
      for (int i = -OPEN_WARMUP; i < opens.length; i++) {
        store.reset();
        timeline.reset();
        long openStart = System.nanoTime();
        try (Mps3AsyncClient reader = client(timeline)) {
          expect(await(reader.get(key(last))), last);
          long openEnd = System.nanoTime();
          if (i >= 0) {
            opens[i] = openEnd - openStart;
          }
          if (i == 0) {
            openRequests = ClientRow.requests(store.counts(), 1);
            timelineLine = timeline.summary(openEnd - openStart);
            entryKeys =
                timeline.spans().stream()
                    .filter(s -> s.kind().equals("entry GET"))
                    .map(CallTimeline.Span::key)
                    .toList();
          }
        }
      }
      Measurement open = Measurement.of(target.name(), "cold open", opens, 0, 0);
      rows.add(
          row(
              "cold open (new client's first get)",
              open,
              opens,
              openRequests,
              entryKeys.size() + " entries read"));
      timelines.add(
          String.format(Locale.ROOT, "%s, pace %d: %s", target.name(), pace, timelineLine));
      for (int limit : new int[] {0, PARALLEL_LIMIT}) {
        long[] raw = rawEntryGets(entryKeys, limit);
        rows.add(
            row(
                "raw GETs of the open's entries, "
                    + (limit == 0 ? "all at once" : "at most " + limit + " in flight"),
                Measurement.of(target.name(), "raw", raw, 0, 0),
                raw,
                entryKeys.size() + ".00 (GET " + entryKeys.size() + ")",
                "the open's floor: its entry GETs alone, no client"));
      }

      progress(sizes.rounds() + " put then get rounds");
      CountingObjectStore aStore = CountingObjectStore.wrap(store);
      CountingObjectStore bStore = CountingObjectStore.wrap(store);
      CallTimeline bTimeline = new CallTimeline(bStore, manifest);
      long[] totals = new long[sizes.rounds()];
      long[] gets = new long[sizes.rounds()];
      String[] getTimelines = new String[sizes.rounds()];
      try (Mps3AsyncClient a = client(aStore);
          Mps3AsyncClient b = client(bTimeline)) {
        expect(await(a.get(key(last))), last);
        expect(await(b.get(key(last))), last);
        long roundsStart = 0;
        for (int i = -ROUND_WARMUP; i < totals.length; i++) {
          if (i == 0) {
            aStore.reset();
            bStore.reset();
            roundsStart = System.nanoTime();
          }
          int value = sizes.puts() + ROUND_WARMUP + i;
          String key = key((ROUND_WARMUP + i) % sizes.keys()); // an existing key, a new value
          long roundStart = System.nanoTime();
          await(a.put(key, ScaleCell.value(value)));
          bTimeline.reset();
          long getStart = System.nanoTime();
          expect(await(b.get(key)), value);
          long roundEnd = System.nanoTime();
          if (i >= 0) {
            totals[i] = roundEnd - roundStart;
            gets[i] = roundEnd - getStart;
            getTimelines[i] = bTimeline.summary(roundEnd - getStart);
          }
        }
        long[] sortedGets = gets.clone();
        Arrays.sort(sortedGets);
        long medianGet = sortedGets[(sortedGets.length - 1) / 2];
        for (int i = 0; i < gets.length; i++) {
          if (gets[i] == medianGet) {
            timelines.add(
                String.format(
                    Locale.ROOT,
                    "%s, pace %d, B's get of median time (%.1f ms): %s",
                    target.name(),
                    pace,
                    medianGet / 1e6,
                    getTimelines[i]));
            break;
          }
        }
        long roundsWall = System.nanoTime() - roundsStart;
        Measurement total =
            Measurement.of(
                target.name(), "put then get", totals, roundsWall, aStore.total() + bStore.total());
        Measurement get = Measurement.of(target.name(), "B's get", gets, roundsWall, 0);
        rows.add(
            row(
                "A puts, then B gets it",
                total,
                totals,
                ClientRow.requests(aStore.counts(), bStore.counts(), total.n()),
                ""));
        rows.add(
            row(
                "B's get in that round",
                get,
                gets,
                ClientRow.requests(bStore.counts(), get.n()),
                ""));
      }
    }

    /** One table row; {@code sorted} are the latencies {@link Measurement#of} sorted. */
    /**
     * The raw floor of an open's entry reads: the same GETs through the store alone, {@code limit}
     * at most in flight (0: all at once), timed {@link #RAW_REPEATS} times.
     */
    private long[] rawEntryGets(List<String> keys, int limit) {
      long[] times = new long[RAW_REPEATS];
      for (int r = 0; r < times.length; r++) {
        Semaphore slots = new Semaphore(limit == 0 ? keys.size() : limit);
        List<CompletableFuture<GetResult>> gets = new ArrayList<>();
        long start = System.nanoTime();
        for (String key : keys) {
          slots.acquireUninterruptibly();
          gets.add(
              target
                  .store()
                  .get(BenchTarget.BUCKET, key)
                  .whenComplete((result, e) -> slots.release()));
        }
        for (CompletableFuture<GetResult> get : gets) {
          if (!(await(get) instanceof GetResult.Found)) {
            throw new IllegalStateException("entry gone: the numbers would be wrong");
          }
        }
        times[r] = System.nanoTime() - start;
      }
      return times;
    }

    private String row(String phase, Measurement m, long[] sorted, String requests, String notes) {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |",
          target.name(),
          pace,
          phase,
          m.n(),
          m.p50Millis(),
          m.p99Millis(),
          m.meanMillis(),
          sorted[0] / 1e6,
          sorted[sorted.length - 1] / 1e6,
          requests,
          notes);
    }

    private Mps3AsyncClient client(ObjectStore store) {
      return Mps3AsyncClient.create(
          Mps3Config.builder()
              .store(store)
              .bucket(BenchTarget.BUCKET)
              .manifest(manifest)
              .pollInterval(Duration.ofHours(1))
              .disableAutoclean()
              .build());
    }

    private void progress(String what) {
      System.err.printf(Locale.ROOT, "[bench] %s, pace %d: %s ...%n", target.name(), pace, what);
    }
  }

  private static String key(int i) {
    return "key-" + i;
  }

  private static void expect(Optional<JsonNode> value, int n) {
    if (value.isEmpty() || value.get().path("n").asInt() != n) {
      throw new IllegalStateException(
          "read " + value.map(v -> "n=" + v.path("n")).orElse("(absent)") + ", expected n=" + n);
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
  }

  private static int integer(String property, int defaultValue, int min) {
    return StoreFloorBenchmark.atLeast(
        min, System.getProperty(property, Integer.toString(defaultValue)), property);
  }
}
