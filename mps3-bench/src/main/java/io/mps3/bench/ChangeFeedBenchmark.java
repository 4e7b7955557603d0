package io.mps3.bench;

import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.PutOptions;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.CountingObjectStore.Call;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many idle strict manifests for the price of one (issue #13 item 4, design 0017): a subscriber
 * watches one key in each of {@code mps3.bench.manifests} (1000) strict manifests at {@code
 * mps3.bench.pollMillis} (1000 ms) polls; its requests per second are counted over an idle window
 * of {@code mps3.bench.idleSeconds} (20); then {@code mps3.bench.changes} (120) single puts by
 * another client, one at a time on a random manifest, each after a random pause of up to one poll
 * interval, are timed from the put's call (and from its acknowledgement) to the subscriber's
 * delivery. Once with the change feed on in both clients, once with today's polling of each
 * manifest (with half the idle window and a sixth of the changes: it is the expensive one). The
 * wait for the next poll is uniform over the interval, so the mean delay of n changes has a
 * standard error of about poll / sqrt(12 n): 26 ms for 120 changes at 1 s polls. Next to it, the
 * raw round trip of the same run: a GET of a 60-byte object. Stores: {@code mps3.bench.stores}
 * ({@code local,s3proxy}). Prints a Markdown report to standard output. Reports, never asserts.
 */
public final class ChangeFeedBenchmark {

  private ChangeFeedBenchmark() {}

  /** Runs the benchmark; see the class documentation. */
  public static void main(String[] args) throws Exception {
    int manifests = integer("mps3.bench.manifests", 1000);
    long poll = integer("mps3.bench.pollMillis", 1000);
    int idle = integer("mps3.bench.idleSeconds", 20);
    int changes = integer("mps3.bench.changes", 120);
    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    long start = System.nanoTime();
    List<Measurement> floor = new ArrayList<>();
    List<ChangeFeedRow> rows = new ArrayList<>();
    for (String name : StoreFloorBenchmark.stores("local,s3proxy")) {
      try (BenchTarget target = StoreFloorBenchmark.target(name)) {
        Measurement get = rawGet(target);
        floor.add(get);
        Cell cell = new Cell(target, manifests, poll, get.meanMillis());
        rows.add(cell.run(true, idle, changes));
        rows.add(cell.run(false, Math.max(1, idle / 2), Math.max(1, changes / 6)));
      }
    }
    PrintStream out = System.out;
    out.println("## Many manifests: the change feed");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.printf(
        Locale.ROOT,
        "- method: one subscriber, one key in each of %d strict manifests (a value each), polls"
            + " every %d ms; its requests counted over the idle window; then single puts by another"
            + " client on random manifests, each after a random pause of up to one poll, timed from"
            + " the put's call (and its acknowledgement) to the delivery; S3 stores over HTTP/1.1 on"
            + " loopback, one attempt per call; total wall time %.1f s%n",
        manifests,
        poll,
        (System.nanoTime() - start) / 1e9);
    out.println();
    out.println(Measurement.TABLE_HEADER);
    floor.forEach(m -> out.println(m.markdownRow()));
    out.println();
    out.println(ChangeFeedRow.TABLE_HEADER);
    rows.forEach(row -> out.println(row.markdownRow()));
  }

  private static Measurement rawGet(BenchTarget target) {
    byte[] body = new byte[60];
    new Random(60).nextBytes(body);
    String key = "feed-floor/object";
    target.store().put(BenchTarget.BUCKET, key, body, PutOptions.unconditional()).join();
    return StoreFloorBenchmark.measure(
        target,
        "raw GET 60 B",
        50,
        200,
        i -> {
          if (!(target.store().get(BenchTarget.BUCKET, key).join() instanceof GetResult.Found)) {
            throw new IllegalStateException("raw GET found nothing");
          }
        });
  }

  /** One store: a writer and a subscriber per polling mode, on manifests of their own. */
  private static final class Cell {
    private final BenchTarget target;
    private final int manifests;
    private final long poll;
    private final double rawGetMillis;
    private final Random random = new Random(13);

    Cell(BenchTarget target, int manifests, long poll, double rawGetMillis) {
      this.target = target;
      this.manifests = manifests;
      this.poll = poll;
      this.rawGetMillis = rawGetMillis;
    }

    private StrictAsyncClient client(CountingObjectStore store, boolean feed) {
      return StrictAsyncClient.create(
          Mps3Config.builder()
              .store(store)
              .bucket(BenchTarget.BUCKET)
              .strictProtocol()
              .changeFeed(feed)
              .pollInterval(Duration.ofMillis(poll))
              .build());
    }

    ChangeFeedRow run(boolean feed, int idleSeconds, int changes) throws InterruptedException {
      String mode = feed ? "change feed" : "per manifest";
      String prefix = "feed-bench/" + (feed ? "feed" : "each") + "/m";
      CountingObjectStore readerStore = CountingObjectStore.wrap(target.store());
      List<Subscription> subscriptions = new ArrayList<>();
      AtomicReference<Expected> expected = new AtomicReference<>();
      try (StrictAsyncClient writer = client(target.store(), feed);
          StrictAsyncClient reader = client(readerStore, feed)) {
        progress(target.name() + ": " + mode + ": writing " + manifests + " manifests");
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < manifests; i++) {
          writes.add(writer.put("k", 0, WriteOptions.manifests(prefix + i)));
          if (writes.size() == 50) {
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
            writes.clear();
          }
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
        progress(target.name() + ": " + mode + ": subscribing");
        CountDownLatch opened = new CountDownLatch(manifests);
        for (int i = 0; i < manifests; i++) {
          int manifest = i;
          AtomicBoolean first = new AtomicBoolean(true);
          subscriptions.add(
              reader.subscribe(
                  "k",
                  ReadOptions.manifest(prefix + i),
                  change -> {
                    if (first.getAndSet(false)) {
                      opened.countDown();
                    }
                    Expected e = expected.get();
                    int value = change.value().map(v -> v.asInt()).orElse(-1);
                    if (e != null && e.manifest == manifest && e.value == value) {
                      e.delivered.complete(System.nanoTime());
                    }
                  }));
        }
        if (!opened.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("subscriptions did not open");
        }
        // Past the listings that still show the markers just written (the feed's 10 s overlap).
        Thread.sleep(10_000 + 2 * poll);
        progress(target.name() + ": " + mode + ": idle " + idleSeconds + " s");
        readerStore.reset();
        long idleStart = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double seconds = (System.nanoTime() - idleStart) / 1e9;
        long lists = readerStore.count(Call.LIST);
        long gets = readerStore.count(Call.GET) + readerStore.count(Call.HEAD);
        long total = readerStore.total();

        progress(target.name() + ": " + mode + ": timing " + changes + " changes");
        long[] delays = new long[changes];
        long[] afterAck = new long[changes];
        for (int c = 0; c < changes; c++) {
          Thread.sleep(random.nextInt((int) poll)); // somewhere in the poll cycle
          Expected e = new Expected(random.nextInt(manifests), c + 1);
          expected.set(e);
          long called = System.nanoTime();
          writer.put("k", e.value, WriteOptions.manifests(prefix + e.manifest)).join();
          long acked = System.nanoTime();
          long delivered;
          try {
            delivered = e.delivered.get(5, TimeUnit.MINUTES);
          } catch (Exception failure) {
            throw new IllegalStateException("change " + c + " was not delivered", failure);
          }
          delays[c] = delivered - called;
          afterAck[c] = delivered - acked;
        }
        subscriptions.forEach(Subscription::close);
        Arrays.sort(delays);
        return new ChangeFeedRow(
            target.name(),
            mode,
            manifests,
            poll,
            seconds,
            total / seconds,
            lists / seconds,
            gets / seconds,
            changes,
            mean(delays),
            percentile(delays, 0.5),
            percentile(delays, 0.99),
            mean(afterAck),
            rawGetMillis);
      }
    }
  }

  /** The change the subscriber waits for. */
  private static final class Expected {
    final int manifest;
    final int value;
    final CompletableFuture<Long> delivered = new CompletableFuture<>();

    Expected(int manifest, int value) {
      this.manifest = manifest;
      this.value = value;
    }
  }

  private static double mean(long[] nanos) {
    return Arrays.stream(nanos).average().orElse(0) / 1e6;
  }

  private static double percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  private static void progress(String line) {
    System.err.println("[bench] " + line);
  }

  private static int integer(String property, int defaultValue) {
    return StoreFloorBenchmark.atLeast(
        1, System.getProperty(property, Integer.toString(defaultValue)), property);
  }
}
