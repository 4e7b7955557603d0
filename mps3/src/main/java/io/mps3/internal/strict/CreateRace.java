package io.mps3.internal.strict;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.manifest.Errors;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The race of {@link StrictCheck}: {@value #RACERS} writers create one key at once with {@code
 * If-None-Match: *}, {@value #ROUNDS} rounds in a row, then a create of an existing key. It tells
 * errors from losses: only two winners in one round (or a create of an existing key that succeeds)
 * condemn the store. Racers that fail or lose their answer count neither way; a round where fewer
 * than half were answered proves nothing and runs again on a fresh key, with backoff, within the
 * outage timeout (a store under load, or several processes checking one bucket at once, answers
 * errors to some racers). Not thread-safe: one race, one round at a time.
 */
final class CreateRace {

  static final int RACERS = 16;
  static final int ROUNDS = 16;
  private static final int BODY_BYTES = 16 * 1024;

  private final ObjectStore store;
  private final String bucket;
  private final RetryUntil deadline;
  private final String base = ".mps3/strict-check-" + UUID.randomUUID() + "-";
  private final List<String> keys = Collections.synchronizedList(new ArrayList<>());

  /** A key some racer of a round was told it created: it exists. */
  private volatile @Nullable String created;

  private CreateRace(ObjectStore store, String bucket, RetryUntil deadline) {
    this.store = store;
    this.bucket = bucket;
    this.deadline = deadline;
  }

  /**
   * Races; completes with null when every round had at most one winner, with what the store did
   * wrong when not, and fails when the store's errors left rounds unconcluded past the deadline or
   * a create failed for a reason that retrying cannot fix (access denied, a missing bucket).
   */
  static CompletableFuture<@Nullable String> run(
      ObjectStore store, String bucket, RetryUntil deadline) {
    return new CreateRace(store, bucket, deadline).run();
  }

  // Ignored futures: deleting the race's objects is best effort.
  @SuppressWarnings("FutureReturnValueIgnored")
  private CompletableFuture<@Nullable String> run() {
    CompletableFuture<@Nullable String> rounds = CompletableFuture.completedFuture(null);
    for (int round = 1; round <= ROUNDS; round++) {
      int number = round;
      rounds =
          rounds.thenCompose(
              wrong ->
                  wrong != null
                      ? CompletableFuture.completedFuture(wrong)
                      : deadline.retry(() -> round(number)));
    }
    return rounds
        .thenCompose(wrong -> wrong != null ? CompletableFuture.completedFuture(wrong) : again())
        .whenComplete(
            (r, e) -> {
              // A copy: a store may run its call on this thread, so never under the list's lock.
              for (String key : List.copyOf(keys)) {
                store.delete(bucket, key).exceptionally(x -> null);
              }
            });
  }

  /**
   * One round on a fresh key: null when at most one racer won; what went wrong when several did;
   * fails as {@link ErrorKind#UNAVAILABLE} (tried again) when too few were answered.
   */
  private CompletableFuture<@Nullable String> round(int number) {
    String key = base + keys.size();
    keys.add(key);
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
                  if (failure instanceof ObjectStoreException storeFailure
                      && !storeFailure.isRetryable()) {
                    throw failed(storeFailure);
                  }
                }
              }
              if (winners > 1) {
                return winners
                    + " of "
                    + RACERS
                    + " racing If-None-Match: * creates of one key won (round "
                    + number
                    + " of "
                    + ROUNDS
                    + ")";
              }
              if (answered < RACERS / 2) {
                throw new Mps3Exception(
                    ErrorKind.UNAVAILABLE,
                    "could not check conditional creates of bucket "
                        + bucket
                        + " on "
                        + store
                        + " within the outage timeout: "
                        + (RACERS - answered)
                        + " of "
                        + RACERS
                        + " racing creates of a round failed"
                        + (failure == null ? "" : ", e.g. " + failure.getMessage()),
                    failure);
              }
              if (winners == 1) {
                created = key;
              }
              return null;
            });
  }

  /** A create of a key that exists: null when refused, as it must be. */
  private CompletableFuture<@Nullable String> again() {
    String existing = created;
    CompletableFuture<String> key;
    if (existing != null) {
      key = CompletableFuture.completedFuture(existing);
    } else { // every winner lost its answer: make one sure to exist
      String fresh = base + keys.size();
      keys.add(fresh);
      key = deadline.retry(() -> answered(fresh)).thenApply(ignored -> fresh);
    }
    return key.thenCompose(k -> deadline.retry(() -> answered(k)))
        .thenApply(
            outcome ->
                outcome instanceof PutOutcome.Written
                    ? "a create of an existing object succeeded"
                    : null);
  }

  /** One create whose answer tells: an unknown outcome fails, to be tried again. */
  private CompletableFuture<PutOutcome> answered(String key) {
    return store
        .put(bucket, key, body(0), PutOptions.ifAbsent())
        .thenApply(
            outcome -> {
              if (outcome instanceof PutOutcome.OutcomeUnknown unknown) {
                throw unknown.cause();
              }
              return outcome;
            });
  }

  /**
   * A racer's failure that retrying cannot fix. A store that does not implement conditional creates
   * is refused; any other such failure (access denied, a missing bucket) fails this check only.
   */
  private Mps3Exception failed(ObjectStoreException failure) {
    String what = "a create with If-None-Match: * failed: " + failure.getMessage();
    if (failure.kind() == ObjectStoreException.Kind.UNSUPPORTED) {
      return StrictCheck.refusal(store, bucket, what);
    }
    Mps3Exception translated = Errors.translate(failure);
    return new Mps3Exception(
        translated.kind(),
        "could not check conditional creates of bucket " + bucket + " on " + store + ": " + what,
        failure);
  }

  private static byte[] body(int racer) {
    byte[] body = new byte[BODY_BYTES];
    Arrays.fill(body, (byte) ('a' + racer % 26));
    byte[] tag = ("racer " + racer + " ").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(tag, 0, body, 0, tag.length);
    return body;
  }
}
