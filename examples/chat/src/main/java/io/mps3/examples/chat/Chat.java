package io.mps3.examples.chat;

import io.mps3.DocumentChange;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * A chat over a bucket, in two commands that may run in any number of processes at once:
 *
 * <pre>
 * java ... io.mps3.examples.chat.Chat listen DIR ROOM [COUNT]   # prints each message as it comes
 * java ... io.mps3.examples.chat.Chat say DIR ROOM NAME TEXT    # sends one message
 * </pre>
 *
 * <p>DIR is a local directory standing in for a bucket (any S3 store works the same way: give the
 * configuration an {@code S3ObjectStore} instead). Each message is one key, {@code
 * rooms/ROOM/messages/<time>-<id>}, so writers never overwrite each other, and a listener
 * subscribed to the prefix gets every message, in order, within a poll interval.
 */
public final class Chat {

  private Chat() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length >= 3 && args[0].equals("listen")) {
      listen(Path.of(args[1]), args[2], args.length > 3 ? Integer.parseInt(args[3]) : -1);
    } else if (args.length == 5 && args[0].equals("say")) {
      say(Path.of(args[1]), args[2], args[3], args[4]);
    } else {
      System.err.println("usage: Chat listen DIR ROOM [COUNT] | Chat say DIR ROOM NAME TEXT");
      System.exit(2);
    }
  }

  private static Mps3Config config(Path dir) {
    return Mps3Config.builder()
        .localDirectory(dir)
        .bucket("chat")
        .pollInterval(Duration.ofMillis(100)) // how soon another process's message shows
        .build();
  }

  /** Prints each message of the room, the ones already there first; stops after COUNT if given. */
  static void listen(Path dir, String room, int count) throws InterruptedException {
    CountDownLatch enough = new CountDownLatch(count < 0 ? 1 : count);
    try (Mps3Client client = Mps3Client.create(config(dir));
        Subscription messages =
            client.subscribePrefix(
                "rooms/" + room + "/messages/", change -> print(change, enough))) {
      System.out.println("listening to " + room);
      System.out.flush();
      enough.await(); // with no COUNT, until the process is stopped
    }
  }

  private static void print(DocumentChange change, CountDownLatch enough) {
    change
        .as(Message.class)
        .ifPresent(
            m -> {
              System.out.println(m.name() + ": " + m.text());
              System.out.flush();
              enough.countDown();
            });
  }

  /** Sends one message: a new key, written when this returns. */
  static void say(Path dir, String room, String name, String text) {
    Instant now = Instant.now();
    String key = "rooms/" + room + "/messages/" + now.toEpochMilli() + "-" + UUID.randomUUID();
    try (Mps3Client client = Mps3Client.create(config(dir))) {
      client.put(key, Map.of("name", name, "text", text, "at", now.toString()));
    }
  }

  /** A message as stored: a JSON object any client (the JavaScript one too) can read. */
  record Message(String name, String text, String at) {}
}
