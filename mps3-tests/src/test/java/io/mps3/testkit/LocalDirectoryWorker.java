package io.mps3.testkit;

import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.store.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A separate process for {@link LocalDirectoryMultiProcessTest}: increments a counter through
 * {@code If-Match} and races to create keys with {@code If-None-Match: *}, printing each key it
 * created as {@code won <key>}.
 */
public final class LocalDirectoryWorker {

  private LocalDirectoryWorker() {}

  /** Arguments: directory, increments, keys to race for, worker name. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int increments = Integer.parseInt(args[1]);
    int slots = Integer.parseInt(args[2]);
    String name = args[3];
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      run(store, increments, slots, name, line -> System.out.println(line));
    }
    System.out.flush();
  }

  /** The work itself, also run on threads of the test's own JVM. */
  static void run(
      ObjectStore store,
      int increments,
      int slots,
      String name,
      java.util.function.Consumer<String> out) {
    for (int i = 0; i < increments; i++) {
      increment(store);
    }
    for (int slot = 0; slot < slots; slot++) {
      String key = "slot-" + slot;
      PutOutcome outcome =
          Futures.await(store.put("shared", key, bytes(name), PutOptions.ifAbsent()));
      if (outcome instanceof PutOutcome.Written) {
        out.accept("won " + key);
      }
    }
  }

  private static void increment(ObjectStore store) {
    while (true) {
      GetResult result = Futures.await(store.get("shared", "counter"));
      PutOutcome outcome;
      if (result instanceof GetResult.Found found) {
        int value = Integer.parseInt(new String(found.object().body(), StandardCharsets.UTF_8));
        outcome =
            Futures.await(
                store.put(
                    "shared",
                    "counter",
                    bytes(Integer.toString(value + 1)),
                    PutOptions.ifMatch(found.object().metadata().etag())));
      } else {
        outcome = Futures.await(store.put("shared", "counter", bytes("1"), PutOptions.ifAbsent()));
      }
      if (outcome instanceof PutOutcome.Written) {
        return;
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
