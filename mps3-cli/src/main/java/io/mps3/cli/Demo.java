package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentChange;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.store.CountingObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.store.StoreProbe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Three clients in one process share a chat room and a counter board through one manifest in a
 * local directory, each printing what it sees; then what the bucket holds, and what the store
 * supports.
 */
final class Demo {

  private static final List<String> NAMES = List.of("alice", "bob", "carol");
  private static final String ROOM = "rooms/lobby.json";

  /** A chat message, stored as {@code {"from": ..., "text": ...}}. */
  public record Message(String from, String text) {}

  private final Path dir;
  private final PrintWriter out;

  Demo(Path dir, PrintWriter out) {
    this.dir = dir;
    this.out = out;
  }

  void run() {
    String room = ROOM;
    out.println("MPS3 demo: three clients share a chat room through a bucket, with no server");
    out.println("bucket: local directory " + dir.toAbsolutePath().normalize() + ", bucket 'demo'");
    out.println("manifest (the room): " + room);
    out.println();
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      for (ObjectMetadata old : store.listAll("demo", "", null).join()) {
        store.delete("demo", old.key()).join(); // the demo's bucket starts empty every run
      }
      CountingObjectStore counted = CountingObjectStore.wrap(store);
      List<Mps3Client> clients = new ArrayList<>();
      List<Subscription> subscriptions = new ArrayList<>();
      // Each client expects the 3 messages and 3 counter updates; counts down on each.
      CountDownLatch everyoneSawEverything = new CountDownLatch(NAMES.size() * 6);
      try {
        for (String name : NAMES) {
          Mps3Client client =
              Mps3Client.create(
                  Mps3Config.builder()
                      .store(counted)
                      .bucket("demo")
                      .manifest(room)
                      .pollInterval(Duration.ofMillis(100))
                      .callbackExecutor(Runnable::run)
                      .build());
          clients.add(client);
          subscriptions.add(
              client.subscribePrefix(
                  "", ReadOptions.defaults(), change -> seen(name, change, everyoneSawEverything)));
        }
        out.println(
            "1. Each client posts a message and bumps its counter; each prints what it sees");
        for (int i = 0; i < clients.size(); i++) {
          String name = NAMES.get(i);
          clients
              .get(i)
              .putAll(
                  Map.of(
                      "chat/" + (i + 1), new Message(name, greeting(i)), "counter/" + name, i + 1));
        }
        boolean done = everyoneSawEverything.await(10, TimeUnit.SECONDS);
        out.println(
            done ? "   every client saw every write" : "   (not everything arrived in 10 s)");
        out.println();
        subscriptions.forEach(Subscription::close); // pollers stop: the counts below are exact
        out.println("2. A late client opens the room and reads it; what each step costs");
        try (Mps3Client late =
            Mps3Client.create(
                Mps3Config.builder().store(counted).bucket("demo").manifest(room).build())) {
          counted.reset();
          for (String key : late.keys("")) {
            out.println(
                "   " + key + " = " + late.get(key).map(JsonNode::toString).orElse("(absent)"));
          }
          out.println("   requests to open the room and read 6 values: " + counts(counted));
          counted.reset();
          late.put("chat/4", new Message("dave", "joined late"));
          out.println("   requests to post one message:              " + counts(counted));
          counted.reset();
          late.refresh();
          out.println("   requests of a poll when nothing changed:   " + counts(counted));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } finally {
        subscriptions.forEach(Subscription::close); // idempotent
        clients.forEach(Mps3Client::close);
      }
      out.println();
      out.println(
          "3. What the bucket holds: values (key@version) and the room's log (room@time_session_n)");
      for (ObjectMetadata object : store.listAll("demo", "", null).join()) {
        out.println("   " + object.key() + "  (" + object.size() + " bytes)");
      }
      out.println("   (plain files under " + dir.resolve("demo") + ", one per object)");
      out.println();
      out.println("4. What this store supports (the capability probe; works on any S3 bucket too)");
      for (String line :
          StoreProbe.create().withRaces(10, 5).probe(store, "demo").toText().lines().toList()) {
        out.println("   " + line);
      }
    }
  }

  private synchronized void seen(String name, DocumentChange change, CountDownLatch latch) {
    if (change.isPresent()) {
      out.printf("   %-5s sees %-10s = %s%n", name, change.key(), change.value().orElseThrow());
      out.flush();
      latch.countDown();
    }
  }

  private static String counts(CountingObjectStore store) {
    StringBuilder out = new StringBuilder().append(store.total()).append(" (");
    String sep = "";
    for (Map.Entry<CountingObjectStore.Call, Long> count : store.counts().entrySet()) {
      if (count.getValue() > 0) {
        out.append(sep).append(count.getKey()).append(' ').append(count.getValue());
        sep = ", ";
      }
    }
    return out.append(')').toString();
  }

  private static String greeting(int i) {
    return List.of("hello from the first client", "hi alice!", "hey both, no server needed").get(i);
  }
}
