package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks once that a bucket's {@code If-None-Match: *} creates are atomic before the strict
 * protocol trusts it (PROTOCOL.md part B): {@value #RACERS} writers race to create one object,
 * {@value #ROUNDS} rounds in a row, and exactly one may win each round; a create of an existing
 * object must be refused. A sequential check is not enough: some servers pass it and still let
 * several racers win. And one round is not enough either: a non-atomic server lets only one win in
 * about half the rounds (S3Mock here: detected in round 1 in 22 of 60 checks, by round 7 in all;
 * with 4 rounds, 6 of 40 checks passed it), so the check stops at the first round with several
 * winners and runs up to {@value #ROUNDS}: once per bucket, {@value #RACERS} times that many
 * creates.
 *
 * <p>A bucket that passes gets the record {@value #RECORD}, so later clients check it with one GET
 * (an operator deletes it to force a new check, e.g. after moving the bucket to another server).
 * The answer is also remembered for the life of the store object. Thread-safe.
 */
public final class StrictCheck {

  /** The record of a passed check. */
  public static final String RECORD = ".mps3/strict-check.json";

  private static final System.Logger LOG = System.getLogger(StrictCheck.class.getName());

  static final int RACERS = 16;
  static final int ROUNDS = 16;
  private static final int BODY_BYTES = 16 * 1024;

  private static final Map<ObjectStore, Set<String>> PASSED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private StrictCheck() {}

  /**
   * Completes when {@code bucket} is known to support the strict protocol; fails with {@link
   * ErrorKind#INVALID} naming what the store did when it does not.
   */
  public static CompletableFuture<Void> ensure(ObjectStore store, String bucket) {
    if (passed(store).contains(bucket)) {
      return CompletableFuture.completedFuture(null);
    }
    return store
        .get(bucket, RECORD)
        .thenCompose(
            result ->
                result instanceof GetResult.Found found && passedRecord(found)
                    ? CompletableFuture.completedFuture(null)
                    : race(store, bucket).thenCompose(ignored -> record(store, bucket)))
        .thenRun(() -> passed(store).add(bucket));
  }

  /**
   * Whether a record says the check passed. Anything else under its name (garbage, a record cut
   * short) proves nothing, so the check runs again and rewrites it.
   */
  private static boolean passedRecord(GetResult.Found record) {
    Parsed<JsonNode> body = BucketJson.readObject(RECORD, record.object().body());
    if (body instanceof Parsed.Valid<JsonNode> valid
        && valid.value().path("atomicConditionalCreates").asBoolean(false)
        && valid.value().path("atomicConditionalCreates").isBoolean()) {
      return true;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        () ->
            "MPS3: "
                + RECORD
                + " is not a passed check ("
                + (body instanceof Parsed.Invalid<JsonNode> i ? i.reason() : "no pass recorded")
                + "): checking the store again");
    return false;
  }

  private static Set<String> passed(ObjectStore store) {
    return PASSED.computeIfAbsent(store, s -> ConcurrentHashMap.newKeySet());
  }

  private static CompletableFuture<Void> race(ObjectStore store, String bucket) {
    String base = ".mps3/strict-check-" + UUID.randomUUID() + "-";
    List<String> keys = new ArrayList<>();
    CompletableFuture<Void> rounds = CompletableFuture.completedFuture(null);
    for (int round = 0; round < ROUNDS; round++) {
      String key = base + round;
      keys.add(key);
      int number = round + 1;
      rounds = rounds.thenCompose(ignored -> round(store, bucket, key, number));
    }
    return rounds
        .thenCompose(ignored -> store.put(bucket, keys.get(0), body(0), PutOptions.ifAbsent()))
        .thenAccept(
            again -> {
              if (again instanceof PutOutcome.Written) {
                throw refusal(store, bucket, "a create of an existing object succeeded");
              }
            })
        .whenComplete(
            (r, e) -> keys.forEach(key -> store.delete(bucket, key).exceptionally(x -> null)));
  }

  /**
   * One round: every racer creates the same key. Racers that fail or lose their answer count
   * neither way; a round needs half its racers answered, or the check fails as unavailable.
   */
  private static CompletableFuture<Void> round(
      ObjectStore store, String bucket, String key, int number) {
    List<CompletableFuture<PutOutcome>> racing = new ArrayList<>();
    for (int racer = 0; racer < RACERS; racer++) {
      racing.add(store.put(bucket, key, body(racer), PutOptions.ifAbsent()));
    }
    return CompletableFuture.allOf(racing.toArray(new CompletableFuture<?>[0]))
        .handle(
            (r, e) -> {
              int winners = 0;
              int answered = 0;
              Throwable failure = null;
              for (CompletableFuture<PutOutcome> racer : racing) {
                try {
                  PutOutcome outcome = racer.join();
                  winners += outcome instanceof PutOutcome.Written ? 1 : 0;
                  answered += outcome instanceof PutOutcome.OutcomeUnknown ? 0 : 1;
                } catch (RuntimeException x) {
                  failure = x.getCause() == null ? x : x.getCause();
                  if (failure instanceof ObjectStoreException
                      && !((ObjectStoreException) failure).isRetryable()) {
                    throw refusal(
                        store,
                        bucket,
                        "a create with If-None-Match: * failed: " + failure.getMessage());
                  }
                }
              }
              if (winners > 1) {
                throw refusal(
                    store,
                    bucket,
                    winners
                        + " of "
                        + RACERS
                        + " racing If-None-Match: * creates of one key won (round "
                        + number
                        + " of "
                        + ROUNDS
                        + ")");
              }
              if (answered < RACERS / 2) {
                throw new Mps3Exception(
                    ErrorKind.UNAVAILABLE,
                    "could not check conditional creates of bucket "
                        + bucket
                        + " on "
                        + store
                        + ": "
                        + (RACERS - answered)
                        + " of "
                        + RACERS
                        + " racing creates failed"
                        + (failure == null ? "" : ", e.g. " + failure.getMessage()),
                    failure);
              }
              return null;
            });
  }

  private static CompletableFuture<Void> record(ObjectStore store, String bucket) {
    String body =
        "{\"atomicConditionalCreates\":true,\"racers\":"
            + RACERS
            + ",\"rounds\":"
            + ROUNDS
            + ",\"checkedAt\":\""
            + Instant.now()
            + "\"}";
    return store
        .put(
            bucket,
            RECORD,
            body.getBytes(StandardCharsets.UTF_8),
            PutOptions.unconditional().withContentType(PutOptions.JSON))
        .thenApply(ignored -> null);
  }

  private static final String REFUSAL = "the strict protocol needs atomic conditional creates";

  /** Whether a failure is this check's refusal of the bucket (which stands), not a failed check. */
  public static boolean isRefusal(Mps3Exception failure) {
    return failure.kind() == ErrorKind.INVALID
        && String.valueOf(failure.getMessage()).startsWith(REFUSAL);
  }

  private static Mps3Exception refusal(ObjectStore store, String bucket, String what) {
    return new Mps3Exception(
        ErrorKind.INVALID,
        REFUSAL
            + ", but bucket "
            + bucket
            + " on "
            + store
            + " does not have them: "
            + what
            + ". Its log would lose writes there; use the causal protocol (the default) with this"
            + " store.",
        null);
  }

  private static byte[] body(int racer) {
    byte[] body = new byte[BODY_BYTES];
    Arrays.fill(body, (byte) ('a' + racer % 26));
    byte[] tag = ("racer " + racer + " ").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(tag, 0, body, 0, tag.length);
    return body;
  }
}
