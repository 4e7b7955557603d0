package io.mps3.testkit.issues;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.WriteOptions;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;

/**
 * The load of the store-outage tests of issues #16 and #17: three writers (a causal client, a
 * strict client, and a causal client with a journal whose writes are acknowledged once journaled),
 * each on its own thread and its own store connection, and a subscriber per protocol on every key
 * they write (a client speaks one protocol, so one subscriber cannot follow both). The causal
 * writers share a manifest in one bucket; the strict writer has a bucket of its own.
 *
 * <p>{@link #check} then demands what the issues promise: every writer still runs, every
 * acknowledged write is in the bucket (read by fresh clients), each subscriber ends on the last
 * value of every key and never went back, and no call failed at all (an outage shorter than a
 * call's deadline is the library's to ride out, not the caller's).
 */
final class OutageWorkload implements AutoCloseable {

  static final String CAUSAL = "causal";
  static final String STRICT = "strict";
  static final String JOURNAL = "journal";

  private static final Duration POLL = Duration.ofMillis(100);

  private final Supplier<ObjectStore> stores;
  private final String causalBucket;
  private final String strictBucket;
  private final List<ObjectStore> opened = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final Map<String, OutageWriter> writers = new LinkedHashMap<>();
  private final List<OutageSubscriber> subscribers = new ArrayList<>();
  private final Map<String, Long> settled = new HashMap<>();

  /**
   * Starts the writers and subscribers.
   *
   * @param stores a new store of the server per call (the workload closes them)
   * @param causalBucket an existing bucket for the causal manifest
   * @param strictBucket an existing bucket for the strict manifest
   * @param journal a directory for the journal of the third writer
   */
  OutageWorkload(
      Supplier<ObjectStore> stores, String causalBucket, String strictBucket, Path journal) {
    this.stores = stores;
    this.causalBucket = causalBucket;
    this.strictBucket = strictBucket;
    subscribers.add(
        new OutageSubscriber("causal subscriber", causal(b -> b), List.of(CAUSAL, JOURNAL)));
    subscribers.add(new OutageSubscriber("strict subscriber", strict(), List.of(STRICT)));
    writers.put(CAUSAL, new OutageWriter(CAUSAL, causal(b -> b), WriteOptions.defaults()));
    writers.put(STRICT, new OutageWriter(STRICT, strict(), WriteOptions.defaults()));
    writers.put(
        JOURNAL,
        new OutageWriter(
            JOURNAL,
            causal(b -> b.journal(journal)),
            WriteOptions.defaults().acknowledgedLocally()));
    writers.values().forEach(OutageWriter::start);
  }

  private Mps3Client causal(java.util.function.UnaryOperator<Mps3Config.Builder> options) {
    Mps3Client client =
        Mps3Client.create(
            options
                .apply(Mps3Config.builder().store(store()).bucket(causalBucket).pollInterval(POLL))
                .build());
    clients.add(client);
    return client;
  }

  private StrictClient strict() {
    StrictClient client =
        StrictClient.create(
            Mps3Config.builder()
                .store(store())
                .bucket(strictBucket)
                .strictProtocol()
                .pollInterval(POLL)
                .build());
    clients.add(client);
    return client;
  }

  private ObjectStore store() {
    ObjectStore store = stores.get();
    opened.add(store);
    return store;
  }

  /** {@return each writer's highest acknowledged value now} */
  Map<String, Integer> mark() {
    Map<String, Integer> mark = new HashMap<>();
    writers.forEach((name, writer) -> mark.put(name, writer.highestAcked()));
    return mark;
  }

  /**
   * Waits until every writer acknowledged a write after {@code mark} and a subscriber saw it in the
   * bucket (for the journal's writer, whose writes are acknowledged locally, the second is what
   * shows that its writes reach the bucket again).
   *
   * @return for each writer, when it was acknowledged and when seen, in ms after the call
   * @throws AssertionError naming the writers that made no progress, after {@code bound}
   */
  Map<String, String> awaitProgress(Map<String, Integer> mark, Duration bound) {
    return awaitProgress(mark, bound, writers.keySet());
  }

  /**
   * Waits until every writer acknowledged a write after {@code mark}, and a subscriber saw a write
   * after it of each writer in {@code mustBeSeen}.
   *
   * @return for each writer, when it was acknowledged and when seen, in ms after the call, and for
   *     a writer not in {@code mustBeSeen} how many of its writes were not seen yet
   * @throws AssertionError naming the writers that made no progress, after {@code bound}
   */
  Map<String, String> awaitProgress(
      Map<String, Integer> mark, Duration bound, Set<String> mustBeSeen) {
    long start = System.nanoTime();
    Map<String, Long> ackedAfter = new HashMap<>();
    Map<String, Long> seenAfter = new HashMap<>();
    Eventually.eventually(
        bound,
        () -> {
          List<String> stuck = new ArrayList<>();
          writers.forEach(
              (name, writer) -> {
                int since = mark.getOrDefault(name, 0);
                int seen = subscriberOf(name).highestSeen(name);
                long now = (System.nanoTime() - start) / 1_000_000;
                if (writer.highestAcked() > since) {
                  ackedAfter.putIfAbsent(name, now);
                }
                if (seen > since) {
                  seenAfter.putIfAbsent(name, now);
                }
                if (writer.highestAcked() <= since
                    || (mustBeSeen.contains(name) && seen <= since)) {
                  stuck.add(
                      String.format(
                          "%s (acknowledged %d, seen %d, %s; mark %d)",
                          name,
                          writer.highestAcked(),
                          seen,
                          writer.isRunning() ? "running" : "dead: " + writer.death(),
                          since));
                }
              });
          if (!stuck.isEmpty()) {
            throw new AssertionError("no progress since the mark: " + String.join(", ", stuck));
          }
        });
    Map<String, String> times = new LinkedHashMap<>();
    writers.forEach(
        (name, w) ->
            times.put(
                name,
                ackedAfter.get(name)
                    + "/"
                    + seenAfter.get(name)
                    + (mustBeSeen.contains(name)
                        ? ""
                        : " ("
                            + (w.highestAcked() - subscriberOf(name).highestSeen(name))
                            + " not seen yet)")));
    return times;
  }

  private OutageSubscriber subscriberOf(String writer) {
    return writer.equals(STRICT) ? subscribers.get(1) : subscribers.get(0);
  }

  /** Stops the writers and checks everything the issues promise; see the class comment. */
  void check(SoftAssertions softly, Duration bound) throws InterruptedException {
    for (OutageWriter writer : writers.values()) {
      boolean runningBefore = writer.isRunning();
      softly
          .assertThat(runningBefore)
          .as("writer %s still running at the end; it died of %s", writer.name, writer.death())
          .isTrue();
      softly
          .assertThat(writer.stop(bound))
          .as("writer %s finished the write in hand within %s", writer.name, bound)
          .isTrue();
    }
    Map<String, Integer> expected = new HashMap<>();
    writers.values().forEach(w -> expected.putAll(w.acknowledged()));
    long stopped = System.nanoTime();
    for (OutageSubscriber subscriber : subscribers) {
      try {
        Eventually.eventually(
            bound,
            () -> {
              Map<String, Integer> missed = new HashMap<>();
              subscriber
                  .lastValues()
                  .forEach(
                      (key, value) -> {
                        if (!value.equals(expected.get(key)) && !isInDoubt(key, value)) {
                          missed.put(key, value);
                        }
                      });
              expected.keySet().stream()
                  .filter(key -> isOf(subscriber, key))
                  .filter(key -> !subscriber.lastValues().containsKey(key))
                  .forEach(key -> missed.put(key, -1));
              if (!missed.isEmpty()) {
                throw new AssertionError(missed.toString());
              }
            });
        settled.put(subscriber.name, (System.nanoTime() - stopped) / 1_000_000);
      } catch (AssertionError e) {
        softly.fail(
            "%s did not end on the last value of every key within %s; key=value it shows"
                + " (expected %s): %s",
            subscriber.name, bound, expected, e.getMessage());
      }
      softly
          .assertThat(subscriber.regressions())
          .as("%s: values that went back", subscriber.name)
          .isEmpty();
    }
    checkInBucket(softly, expected);
    for (OutageWriter writer : writers.values()) {
      softly
          .assertThat(writer.failures.total())
          .as(
              "calls of writer %s that failed (an outage shorter than the call deadline):%n%s",
              writer.name, writer.failures.report("  "))
          .isZero();
    }
  }

  private boolean isOf(OutageSubscriber subscriber, String key) {
    String writer = key.substring(0, key.indexOf('/'));
    return subscriberOf(writer) == subscriber;
  }

  private boolean isInDoubt(String key, int value) {
    String writer = key.substring(0, key.indexOf('/'));
    OutageWriter of = writers.get(writer);
    int doubt = of == null ? 0 : of.inDoubt();
    return doubt != 0 && value == doubt && key.equals(OutageWriter.key(writer, doubt));
  }

  /** Every acknowledged write, read back by fresh clients (a fresh client has no cache). */
  private void checkInBucket(SoftAssertions softly, Map<String, Integer> expected) {
    try (Mps3Client causal =
            Mps3Client.create(Mps3Config.builder().store(store()).bucket(causalBucket).build());
        Mps3Client strict =
            StrictClient.create(
                Mps3Config.builder()
                    .store(store())
                    .bucket(strictBucket)
                    .strictProtocol()
                    .build())) {
      Map<String, Integer> lost = new HashMap<>();
      expected.forEach(
          (key, value) -> {
            Mps3Client reader = key.startsWith(STRICT + "/") ? strict : causal;
            Optional<Integer> read = reader.get(key, Integer.class);
            if (!read.equals(Optional.of(value))
                && !read.filter(v -> isInDoubt(key, v)).isPresent()) {
              lost.put(key, read.orElse(-1));
            }
          });
      softly
          .assertThat(lost)
          .as("keys whose last acknowledged write is not in the bucket (expected %s)", expected)
          .isEmpty();
    }
  }

  /** What each writer and subscriber did and saw. */
  String report() {
    StringBuilder text = new StringBuilder();
    for (OutageWriter writer : writers.values()) {
      text.append(
          String.format(
              "writer %s: %d writes acknowledged (%s), %d attempts, %d failed%s%n",
              writer.name,
              writer.highestAcked(),
              writer.latency(),
              writer.attempts(),
              writer.failures.total(),
              writer.death() == null ? "" : "; died of " + writer.death()));
      text.append(writer.failures.report("    "));
    }
    for (OutageSubscriber subscriber : subscribers) {
      text.append(
          String.format(
              "%s: %d changes, %d errors reported to onError; on the last values %s ms after the"
                  + " writers stopped%n",
              subscriber.name,
              subscriber.changes(),
              subscriber.errors.total(),
              settled.get(subscriber.name)));
      text.append(subscriber.errors.report("    "));
    }
    return text.toString();
  }

  @Override
  public void close() {
    for (OutageWriter writer : writers.values()) {
      try {
        writer.stop(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    subscribers.forEach(OutageSubscriber::close);
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        // Closing after the test: nothing more to do.
      }
    }
    opened.forEach(ObjectStore::close);
  }
}
