package io.mps3.cli;

import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.ObjectStores;
import io.mps3.store.StoreProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A tour of the storage layer on a local directory: writes, reads, listings, racing creates and
 * a counter kept exact by conditional writes, then the capability probe's report.
 */
final class Demo {

  private static final String BUCKET = "demo";

  private final Path dir;
  private final PrintStream out;

  Demo(Path dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
  }

  void run() {
    out.println("MPS3 demo: the storage layer on the embedded default, a local directory");
    out.println("data directory: " + dir.toAbsolutePath().normalize() + " (bucket '" + BUCKET + "')");
    out.println();
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      clear(store);
      writeAndRead(store);
      race(store);
      counter(store);
      layout();
      out.println("5. What this store supports (the capability probe, also for any S3 bucket)");
      indent(StoreProbe.create().withRaces(10, 5).probe(store, BUCKET).toText());
    }
  }

  private void writeAndRead(ObjectStore store) {
    out.println("1. Write, read and list JSON documents");
    put(store, "rooms/lobby/title", "\"The lobby\"");
    put(store, "users/42", "{\"name\": \"Ada\", \"online\": true}");
    PutOutcome.Written written = put(store, "users/43", "{\"name\": \"Grace\"}");
    out.println("   put users/43 -> etag " + written.etag());
    out.println("   get users/42 -> " + text(store, "users/42"));
    List<String> keys =
        store.listAll(BUCKET, "users/", null).join().stream()
            .map(ObjectMetadata::key)
            .collect(Collectors.toList());
    out.println("   list users/ -> " + keys);
    out.println();
  }

  private void race(ObjectStore store) {
    out.println("2. Five writers race to create rooms/lobby/owner (If-None-Match: *)");
    List<CompletableFuture<PutOutcome>> racers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      racers.add(
          store.put(BUCKET, "rooms/lobby/owner", bytes("\"writer " + i + "\""), PutOptions.ifAbsent()));
    }
    for (int i = 0; i < racers.size(); i++) {
      PutOutcome outcome = racers.get(i).join();
      out.println(
          "   writer "
              + (i + 1)
              + ": "
              + (outcome instanceof PutOutcome.Written ? "created it" : "refused, already there"));
    }
    out.println("   rooms/lobby/owner = " + text(store, "rooms/lobby/owner"));
    out.println();
  }

  private void counter(ObjectStore store) {
    out.println("3. Four threads add 25 each to a counter, read-modify-write with If-Match");
    put(store, "counter", "0");
    AtomicInteger retries = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 25; i++) {
          while (!increment(store)) {
            retries.incrementAndGet();
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    out.println("   counter = " + text(store, "counter") + " (expected 100; " + retries + " writes lost a race and retried)");
    out.println();
  }

  private boolean increment(ObjectStore store) {
    GetResult.Found found = (GetResult.Found) store.get(BUCKET, "counter").join();
    int value = Integer.parseInt(new String(found.object().body(), StandardCharsets.UTF_8));
    PutOutcome outcome =
        store
            .put(BUCKET, "counter", bytes(Integer.toString(value + 1)), PutOptions.ifMatch(found.object().metadata().etag()))
            .join();
    return outcome instanceof PutOutcome.Written;
  }

  private void layout() {
    out.println("4. The bucket on disk: one plain file per object, named after its key");
    Path bucket = dir.resolve(BUCKET);
    try (Stream<Path> files = Files.list(bucket)) {
      for (Path file : files.sorted().collect(Collectors.toList())) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".")) {
          out.println("   " + bucket.relativize(file) + "  (" + Files.size(file) + " bytes)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println();
  }

  private void clear(ObjectStore store) {
    for (ObjectMetadata m : store.listAll(BUCKET, "", null).join()) {
      store.delete(BUCKET, m.key()).join();
    }
  }

  private static PutOutcome.Written put(ObjectStore store, String key, String json) {
    return (PutOutcome.Written)
        store.put(BUCKET, key, bytes(json), PutOptions.unconditional().withContentType(PutOptions.JSON)).join();
  }

  private static String text(ObjectStore store, String key) {
    GetResult result = store.get(BUCKET, key).join();
    return result instanceof GetResult.Found
        ? new String(((GetResult.Found) result).object().body(), StandardCharsets.UTF_8)
        : "(absent)";
  }

  private void indent(String text) {
    for (String line : text.split("\n")) {
      out.println("   " + line);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
