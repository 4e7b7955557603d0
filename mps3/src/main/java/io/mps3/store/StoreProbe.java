package io.mps3.store;

import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Checks what a bucket really supports, by trying it: whether conditional writes hold when writers
 * race (a sequential check is not enough: some servers pass it and still let several racers win),
 * whether versioning is on, how far the store's clock is from this machine's, and the precision of
 * LastModified.
 *
 * <p>A race stops at its first round with several winners, or with none where every racer was
 * refused (a store that refuses every conditional write, as Ceph 16 does {@code If-Match}): one
 * such round is proof. A store that passes every round is only as trustworthy as the number of
 * rounds; the defaults (10 rounds of 20 racers) catch the races of the servers measured here in
 * most runs, and more rounds make a miss less likely (the contract suite runs up to 100).
 *
 * <p>It writes objects under {@code .mps3-probe/<random id>/} in the bucket and deletes them
 * afterwards (in a versioned bucket, their older versions stay until a lifecycle rule removes
 * them). A probe of the defaults sends about 450 requests and 26 MB.
 *
 * <p>Thread-safe; each call is independent.
 *
 * @since 0.1
 */
public final class StoreProbe {

  private final int racers;
  private final int rounds;
  private final int bodyBytes;
  private final Clock clock;

  private StoreProbe(int racers, int rounds, int bodyBytes, Clock clock) {
    this.racers = racers;
    this.rounds = rounds;
    this.bodyBytes = bodyBytes;
    this.clock = clock;
  }

  /** {@return a probe of 10 rounds of 20 racers, with 64 KiB bodies, on the system clock} */
  public static StoreProbe create() {
    return new StoreProbe(20, 10, 64 * 1024, Clock.systemUTC());
  }

  /**
   * The same probe with another number of racers per round and rounds.
   *
   * @param racersPerRound writers sending the same conditional write at once; at least 2
   * @param roundCount rounds of the race; at least 1
   * @return a new probe
   * @throws IllegalArgumentException when a count is too small
   */
  public StoreProbe withRaces(int racersPerRound, int roundCount) {
    if (racersPerRound < 2 || roundCount < 1) {
      throw new IllegalArgumentException(
          "a race needs at least 2 racers and 1 round, was "
              + racersPerRound
              + " racers and "
              + roundCount
              + " rounds");
    }
    return new StoreProbe(racersPerRound, roundCount, bodyBytes, clock);
  }

  /**
   * The same probe with racing bodies of another size. A larger body keeps each racing request
   * longer inside the server, which widens a race window the server may have.
   *
   * @param bytes the size of each racing body, 64 B to 16 MiB
   * @return a new probe
   * @throws IllegalArgumentException when the size is out of range
   */
  public StoreProbe withRaceBodySize(int bytes) {
    if (bytes < 64 || bytes > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("race body size must be 64 B..16 MiB, was " + bytes);
    }
    return new StoreProbe(racers, rounds, bytes, clock);
  }

  /**
   * The same probe measuring the clock offset against another clock.
   *
   * @param localClock the clock the store's {@code Date} is compared with; not null
   * @return a new probe
   */
  public StoreProbe withClock(Clock localClock) {
    return new StoreProbe(racers, rounds, bodyBytes, Objects.requireNonNull(localClock, "clock"));
  }

  /**
   * Probes a bucket. Blocks until done (seconds on a nearby store).
   *
   * @param store the store to probe; the caller keeps it open and closes it
   * @param bucket an existing bucket the probe may write to (under {@code .mps3-probe/})
   * @return what the probe found
   * @throws io.mps3.spi.ObjectStoreException when the store fails outright (unreachable, access
   *     denied, no such bucket)
   */
  public StoreReport probe(ObjectStore store, String bucket) {
    String base = ".mps3-probe/" + UUID.randomUUID() + "/";
    List<String> notes = new ArrayList<>();
    try {
      // Plain writes: clock offset, round trip, versioning.
      List<Long> trips = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      boolean versioning = false;
      boolean sawDate = false;
      for (int i = 0; i < 5; i++) {
        long before = clock.millis();
        long started = System.nanoTime();
        PutOutcome outcome =
            store
                .put(bucket, base + "plain-" + i, bytes("plain " + i), PutOptions.unconditional())
                .join();
        trips.add(System.nanoTime() - started);
        long after = clock.millis();
        if (!(outcome instanceof PutOutcome.Written written)) {
          throw new IllegalStateException("an unconditional write answered " + outcome);
        }
        versioning |= written.versionId() != null;
        Instant date = written.serverDate();
        if (date != null) {
          sawDate = true;
          // An HTTP Date has whole seconds, cut down: on average it is half a second behind.
          long truncation = date.toEpochMilli() % 1000 == 0 ? 500 : 0;
          offsets.add(date.toEpochMilli() + truncation - (before + after) / 2);
        }
      }
      Duration offset = sawDate ? Duration.ofMillis(median(offsets)) : null;
      Duration trip = Duration.ofNanos(median(trips));

      boolean millis = false;
      for (ObjectMetadata m : store.listAll(bucket, base + "plain-", null).join()) {
        millis |= m.lastModified().toEpochMilli() % 1000 != 0;
      }

      // Sequential preconditions.
      String existing = base + "plain-0";
      boolean staleCreateRejected =
          store.put(bucket, existing, bytes("again"), PutOptions.ifAbsent()).join()
              instanceof PutOutcome.PreconditionFailed;
      String replaced = base + "stale";
      String first = etag(store.put(bucket, replaced, bytes("v1"), PutOptions.unconditional()));
      store.put(bucket, replaced, bytes("v2"), PutOptions.unconditional()).join();
      boolean staleReplaceRejected =
          store.put(bucket, replaced, bytes("v3"), PutOptions.ifMatch(first)).join()
              instanceof PutOutcome.PreconditionFailed;

      StoreReport.RaceResult creates = race(store, bucket, base + "create-", false, notes);
      StoreReport.RaceResult replaces = race(store, bucket, base + "replace-", true, notes);
      if (versioning) {
        notes.add("probe objects keep older versions in this versioned bucket under " + base);
      }
      return new StoreReport(
          store + ", bucket " + bucket,
          creates,
          staleCreateRejected,
          replaces,
          staleReplaceRejected,
          versioning,
          offset,
          trip,
          millis,
          notes);
    } finally {
      cleanUp(store, bucket, base);
    }
  }

  /**
   * Races conditional creates only, as {@link #probe} does, and cleans up: for checking that one
   * kind of write without the cost of the other (a race on a store that holds runs all its rounds).
   *
   * @param store the store to probe; the caller keeps it open and closes it
   * @param bucket an existing bucket the probe may write to (under {@code .mps3-probe/})
   * @return the race's result
   * @throws io.mps3.spi.ObjectStoreException when the store fails outright
   * @since 0.1
   */
  public StoreReport.RaceResult raceCreates(ObjectStore store, String bucket) {
    return raceOnly(store, bucket, false);
  }

  /**
   * Races conditional replaces ({@code If-Match}) only, as {@link #probe} does, and cleans up.
   *
   * @param store the store to probe; the caller keeps it open and closes it
   * @param bucket an existing bucket the probe may write to (under {@code .mps3-probe/})
   * @return the race's result
   * @throws io.mps3.spi.ObjectStoreException when the store fails outright
   * @since 0.1
   */
  public StoreReport.RaceResult raceReplaces(ObjectStore store, String bucket) {
    return raceOnly(store, bucket, true);
  }

  private StoreReport.RaceResult raceOnly(ObjectStore store, String bucket, boolean replace) {
    String base = ".mps3-probe/" + UUID.randomUUID() + "/";
    try {
      return race(
          store, bucket, base + (replace ? "replace-" : "create-"), replace, new ArrayList<>());
    } finally {
      cleanUp(store, bucket, base);
    }
  }

  private StoreReport.RaceResult race(
      ObjectStore store, String bucket, String prefix, boolean replace, List<String> notes) {
    int clean = 0;
    int most = 0;
    int unknown = 0;
    int ranRounds = rounds;
    for (int round = 0; round < rounds; round++) {
      String key = prefix + round;
      PutOptions options = PutOptions.ifAbsent();
      if (replace) {
        options =
            PutOptions.ifMatch(
                etag(store.put(bucket, key, bytes("base"), PutOptions.unconditional())));
      }
      List<CompletableFuture<PutOutcome>> racing = new ArrayList<>(racers);
      for (int racer = 0; racer < racers; racer++) {
        racing.add(store.put(bucket, key, racerBody(round, racer), options));
      }
      int winners = 0;
      int unknownNow = 0;
      for (CompletableFuture<PutOutcome> outcome : racing) {
        PutOutcome result = outcome.join();
        if (result instanceof PutOutcome.Written) {
          winners++;
        } else if (result instanceof PutOutcome.OutcomeUnknown) {
          unknownNow++;
        }
      }
      unknown += unknownNow;
      most = Math.max(most, winners);
      if (winners == 1) {
        clean++;
      } else if (winners > 1 || unknownNow == 0) {
        // Several winners, or every racer refused for sure: either proves the store unsafe; more
        // rounds would only cost (Ceph refuses every If-Match: 100 rounds were 128 MB of PUTs).
        // With lost answers, a round without a known winner proves nothing: the race goes on.
        ranRounds = round + 1;
        break;
      }
    }
    if (unknown > 0) {
      notes.add(unknown + " racing writes had an unknown outcome (lost answers)");
    }
    return new StoreReport.RaceResult(ranRounds, racers, clean, most);
  }

  private byte[] racerBody(int round, int racer) {
    byte[] body = new byte[bodyBytes];
    Arrays.fill(body, (byte) ('a' + racer % 26));
    byte[] tag = bytes("round " + round + " racer " + racer + " ");
    System.arraycopy(tag, 0, body, 0, Math.min(tag.length, body.length));
    return body;
  }

  private static void cleanUp(ObjectStore store, String bucket, String base) {
    try {
      List<CompletableFuture<Void>> deletes = new ArrayList<>();
      for (ObjectMetadata m : store.listAll(bucket, base, null).join()) {
        deletes.add(store.delete(bucket, m.key()));
      }
      CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0])).join();
    } catch (RuntimeException e) {
      // Leftover probe objects are harmless; the failure that matters is already on its way.
    }
  }

  private static String etag(CompletableFuture<PutOutcome> put) {
    PutOutcome outcome = put.join();
    if (outcome instanceof PutOutcome.Written written) {
      return written.etag();
    }
    throw new IllegalStateException("an unconditional write answered " + outcome);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
