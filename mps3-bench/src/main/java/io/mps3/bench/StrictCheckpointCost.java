package io.mps3.bench;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mps3.Mps3Config;
import io.mps3.StrictAsyncClient;
import io.mps3.spi.GetResult;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.ObjectStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What a strict put and a strict open cost as the manifest grows (issue #13 item 1, design 0016):
 * on a counting local-directory store, fills a manifest with batches of 1,000 keys (values of about
 * 60 bytes), then makes {@code mps3.bench.puts} (2,000) single puts to random keys, and reports the
 * bytes and requests written per put (the checkpoints' share included, once they are written) and
 * the requests and milliseconds of a new client's open, its first keys (the fastest of 3). Prints a
 * Markdown table; asserts nothing. System property {@code mps3.bench.keys} (1000,10000,100000).
 */
public final class StrictCheckpointCost {

  private StrictCheckpointCost() {}

  /**
   * Runs the measurement.
   *
   * @param args unused
   * @throws Exception when a store call fails
   */
  public static void main(String[] args) throws Exception {
    int puts = Integer.getInteger("mps3.bench.puts", 2000);
    System.out.println(
        "| keys | puts | bytes per put | requests per put | open: requests | open: ms |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    String sizes = System.getProperty("mps3.bench.keys", "1000,10000,100000");
    for (String keys : sizes.split(",", -1)) {
      System.out.println(row(Integer.parseInt(keys.trim()), puts));
    }
  }

  private static String row(int keys, int puts) throws Exception {
    Path root = Files.createTempDirectory("mps3-checkpoint-cost");
    try {
      CountingObjectStore store = CountingObjectStore.wrap(ObjectStores.localDirectory(root));
      Mps3Config config =
          Mps3Config.builder().store(store).bucket("bench").strictProtocol().build();
      Random random = new Random(13);
      try (StrictAsyncClient writer = StrictAsyncClient.create(config)) {
        for (int from = 0; from < keys; from += 1000) {
          Map<String, Object> batch = new LinkedHashMap<>();
          for (int i = from; i < Math.min(keys, from + 1000); i++) {
            batch.put(key(i), value(random));
          }
          writer.putAll(batch).join();
        }
        int slots = (keys + 999) / 1000;
        settle(store, slots);
        store.reset();
        for (int i = 0; i < puts; i++) {
          writer.put(key(random.nextInt(keys)), TextNode.valueOf(value(random))).join();
        }
        settle(store, slots + puts);
      }
      double bytes = (double) store.bytesPut() / puts;
      double requests = (double) store.total() / puts;
      long millis = Long.MAX_VALUE;
      for (int open = 0; open < 3; open++) { // the fastest of 3: the first pays for warming up
        store.reset();
        long start = System.nanoTime();
        try (StrictAsyncClient reader = StrictAsyncClient.create(config)) {
          reader.keys(key(0)).join(); // the whole open: a first get reads one key (design 0022)
        }
        millis = Math.min(millis, (System.nanoTime() - start) / 1_000_000);
        System.err.println(keys + " keys: open " + open + ": " + store.counts());
      }
      return String.format(
          Locale.ROOT,
          "| %,d | %,d | %,.0f | %.3f | %d | %d |",
          keys,
          puts,
          bytes,
          requests,
          store.total(),
          millis);
    } finally {
      if (Boolean.getBoolean("mps3.bench.keep")) {
        System.err.println("kept " + root);
      } else {
        deleteTree(root);
      }
    }
  }

  /**
   * Waits until the head names the last checkpoint due by slot {@code tip} and the store has been
   * quiet for half a second: checkpoints are planned and written after the puts are acknowledged.
   */
  private static void settle(CountingObjectStore store, int tip) throws InterruptedException {
    String head = "{\"checkpoint\":" + (tip / 100 * 100) + "}";
    long seen = -1;
    while (store.total() != seen || (tip >= 100 && !head.equals(head(store)))) {
      seen = store.total();
      Thread.sleep(500);
    }
  }

  private static String head(CountingObjectStore store) {
    GetResult result = store.get("bench", "manifest.json/head").join();
    return result instanceof GetResult.Found found
        ? new String(found.object().body(), StandardCharsets.UTF_8)
        : "";
  }

  private static String key(int i) {
    return String.format(Locale.ROOT, "users/%07d", i);
  }

  private static String value(Random random) {
    return "v" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "-".repeat(45);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
