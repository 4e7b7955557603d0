package io.mps3.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import io.mps3.store.CountingObjectStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One row of {@link ScaleBenchmark} measured against one store: a new manifest filled to {@code
 * keys} keys in batches ({@code putAll}), then single puts of existing keys chosen at random, timed
 * one at a time, whose requests and bytes are counted until the client's background writes (its
 * checkpoints) have finished; then new clients' opens (a first {@code keys}: the whole state), the
 * first of them counted and kept open across a full GC to weigh the state it holds; then new
 * clients' first gets (a strict one reads the key cold, design 0022), counted when the get answers,
 * each client's open then awaited untimed so that it does not overlap the next.
 *
 * <p>Clients never poll (an hour's interval) and do not clean up, so that a deletion scheduled
 * minutes after a checkpoint cannot land in a measured window at random.
 *
 * <p>Not thread-safe.
 */
final class ScaleCell {

  /** Sizes shared by every row. */
  record Sizes(int batch, int puts, int opens) {}

  /** Values of about 60 bytes as JSON: {@code {"n":123456,"text":"xxx..."}}. */
  private static final String TEXT = "x".repeat(40);

  private static final long TIMEOUT_MINUTES = 20;

  private final BenchTarget target;
  private final TrafficRecorder traffic;
  private final Sizes sizes;

  ScaleCell(BenchTarget target, TrafficRecorder traffic, Sizes sizes) {
    this.target = target;
    this.traffic = traffic;
    this.sizes = sizes;
  }

  /** The JSON value written under a key, about 60 bytes. */
  static Map<String, Object> value(int n) {
    return Map.of("n", n, "text", TEXT);
  }

  /** Fills a new manifest to {@code keys} keys, then measures its puts and its opens. */
  ScaleRow run(Protocol protocol, int keys) throws InterruptedException {
    String name = protocol.name().toLowerCase(Locale.ROOT);
    String manifest = "scale/" + name + "-" + keys + ".json";
    CountingObjectStore store = target.store();

    Measurement puts;
    double fillSeconds;
    long requests;
    long bytes;
    long largest;
    double putMaxMillis;
    try (Mps3AsyncClient writer = client(protocol, manifest)) {
      progress(name, keys, "filling in batches of " + sizes.batch());
      long fillStart = System.nanoTime();
      for (int from = 0; from < keys; from += sizes.batch()) {
        Map<String, Object> batch = new LinkedHashMap<>();
        for (int k = from; k < Math.min(keys, from + sizes.batch()); k++) {
          batch.put(key(k), value(k));
        }
        await(writer.putAll(batch));
      }
      traffic.awaitQuiet(TIMEOUT_MINUTES);
      fillSeconds = (System.nanoTime() - fillStart) / 1e9;

      progress(name, keys, sizes.puts() + " single puts");
      traffic.reset();
      store.reset();
      Random random = new Random(keys);
      long[] latencies = new long[sizes.puts()];
      long loopStart = System.nanoTime();
      for (int i = 0; i < latencies.length; i++) {
        long callStart = System.nanoTime();
        await(writer.put(key(random.nextInt(keys)), value(keys + i)));
        latencies[i] = System.nanoTime() - callStart;
      }
      long wall = System.nanoTime() - loopStart;
      puts = Measurement.of(target.name(), "put", latencies, wall, store.total());
      putMaxMillis = latencies[latencies.length - 1] / 1e6; // Measurement.of sorted them
      traffic.awaitQuiet(TIMEOUT_MINUTES); // the checkpoints these puts caused are their cost too
      requests = store.total();
      bytes = store.bytesPut();
      largest = traffic.largestPut();
    }

    progress(name, keys, sizes.opens() + " new clients' opens, then first gets");
    double[] openMillis = new double[sizes.opens()];
    long openRequests;
    long openBytesRead;
    double heapPerKey;
    long heapBefore = usedHeapAfterGc();
    store.reset();
    traffic.reset();
    long start = System.nanoTime();
    try (Mps3AsyncClient first = client(protocol, manifest)) {
      await(first.keys(key(0))); // the whole state (a first get of a strict manifest reads cold)
      openMillis[0] = (System.nanoTime() - start) / 1e6;
      openRequests = store.total();
      openBytesRead = traffic.bytesRead();
      heapPerKey = (double) (usedHeapAfterGc() - heapBefore) / keys; // first is still open here
    }
    for (int i = 1; i < openMillis.length; i++) {
      long openStart = System.nanoTime();
      try (Mps3AsyncClient reader = client(protocol, manifest)) {
        await(reader.keys(key(0)));
      }
      openMillis[i] = (System.nanoTime() - openStart) / 1e6;
    }
    double[] coldMillis = new double[sizes.opens()];
    long[] cold = new long[2];
    for (int i = 0; i < coldMillis.length; i++) {
      store.reset();
      traffic.reset();
      long coldStart = System.nanoTime();
      try (Mps3AsyncClient reader = client(protocol, manifest)) {
        // counted when the get answers, before the open it started goes on in the background
        long[] counted =
            await(
                reader
                    .get(key(keys / 2)) // a key in the middle: a range in most runs
                    .thenApply(
                        value -> {
                          expect(value, manifest);
                          return new long[] {System.nanoTime(), store.total(), traffic.bytesRead()};
                        }));
        coldMillis[i] = (counted[0] - coldStart) / 1e6;
        if (i == 0) {
          cold = new long[] {counted[1], counted[2]};
        }
        await(reader.keys(key(0))); // the open ends before the next client starts
      }
    }
    return new ScaleRow(
        target.name(),
        name,
        keys,
        fillSeconds,
        (double) bytes / puts.n(),
        (double) requests / puts.n(),
        largest,
        puts.p50Millis(),
        puts.meanMillis(),
        putMaxMillis,
        openRequests,
        openBytesRead,
        median(openMillis),
        cold[0],
        cold[1],
        median(coldMillis),
        heapPerKey);
  }

  private Mps3AsyncClient client(Protocol protocol, String manifest) {
    return Mps3AsyncClient.create(
        Mps3Config.builder()
            .store(traffic)
            .bucket(BenchTarget.BUCKET)
            .manifest(manifest)
            .protocol(protocol)
            .pollInterval(Duration.ofHours(1))
            .disableAutoclean()
            .build());
  }

  private static String key(int k) {
    return "key-" + k;
  }

  /** The used heap after two full collections (System.gc is a full collection in G1). */
  private static long usedHeapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2];
  }

  private void progress(String protocol, int keys, String what) {
    System.err.printf(
        Locale.ROOT, "[bench] %s: %s, %,d keys: %s ...%n", target.name(), protocol, keys, what);
  }

  private static void expect(Optional<JsonNode> value, String manifest) {
    if (value.isEmpty()) {
      throw new IllegalStateException(
          "a new client read nothing under a key of " + manifest + "; the numbers would be wrong");
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    return future.orTimeout(TIMEOUT_MINUTES, TimeUnit.MINUTES).join();
  }
}
