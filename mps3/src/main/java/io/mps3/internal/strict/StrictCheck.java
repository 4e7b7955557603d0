package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Checks once that a bucket's {@code If-None-Match: *} creates are atomic before the strict
 * protocol trusts it (PROTOCOL.md part B), by a {@link CreateRace}: {@value CreateRace#RACERS}
 * writers race to create one object, {@value CreateRace#ROUNDS} rounds in a row, and exactly one
 * may win each round; a create of an existing object must be refused. A sequential check is not
 * enough: some servers pass it and still let several racers win. And one round is not enough
 * either: a non-atomic server lets only one win in about half the rounds (S3Mock here: detected in
 * round 1 in 22 of 60 checks, by round 7 in all; with 4 rounds, 6 of 40 checks passed it), so the
 * check stops at the first round with several winners and runs up to {@value CreateRace#ROUNDS}:
 * once per bucket, {@value CreateRace#RACERS} times that many creates.
 *
 * <p>The verdict is recorded once in the bucket, in {@value #RECORD}, created with {@code
 * If-None-Match: *}: when several processes check a new bucket at once, the first to finish records
 * its verdict and the others adopt it, so they agree. The one exception: a checker that saw two
 * winners overwrites a recorded pass, since two winners are proof and a pass only evidence. Later
 * clients read the verdict with one GET (an operator deletes it to force a new check, e.g. after
 * moving the bucket to another server). A pass is also remembered for the life of the store object.
 * Every step retries the store's transient failures within the client's outage timeout.
 * Thread-safe.
 */
public final class StrictCheck {

  /** The record of the verdict. */
  public static final String RECORD = ".mps3/strict-check.json";

  private static final System.Logger LOG = System.getLogger(StrictCheck.class.getName());

  private static final Map<ObjectStore, Set<String>> PASSED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private StrictCheck() {}

  /** A verdict: atomic creates, or what the store did wrong ({@code wrong} null when atomic). */
  private record Verdict(@Nullable String wrong) {}

  /**
   * Completes when {@code bucket} is known to support the strict protocol; fails with {@link
   * ErrorKind#INVALID} naming what the store did when it does not, or with the store's failure when
   * it could not be checked within {@code outageTimeout}.
   */
  public static CompletableFuture<Void> ensure(
      ObjectStore store,
      String bucket,
      Duration outageTimeout,
      ScheduledExecutorService scheduler) {
    if (passed(store).contains(bucket)) {
      return CompletableFuture.completedFuture(null);
    }
    RetryUntil deadline = new RetryUntil(scheduler, outageTimeout);
    return deadline
        .retry(() -> store.get(bucket, RECORD))
        .thenCompose(
            result -> {
              Verdict recorded = recorded(result);
              if (recorded != null) {
                return CompletableFuture.completedFuture(recorded);
              }
              return CreateRace.run(store, bucket, deadline)
                  .thenCompose(
                      wrong ->
                          settle(
                              store,
                              bucket,
                              new Verdict(wrong),
                              result instanceof GetResult.Found,
                              deadline));
            })
        .thenAccept(
            verdict -> {
              String wrong = verdict.wrong();
              if (wrong != null) {
                throw refusal(store, bucket, wrong);
              }
              passed(store).add(bucket);
            });
  }

  /**
   * Records this checker's verdict unless another checker recorded one first, and returns the
   * verdict that stands. {@code overwrite}: the record holds something that is not a verdict.
   */
  private static CompletableFuture<Verdict> settle(
      ObjectStore store, String bucket, Verdict own, boolean overwrite, RetryUntil deadline) {
    if (overwrite) {
      return deadline
          .retry(
              () ->
                  store.put(
                      bucket,
                      RECORD,
                      body(own),
                      PutOptions.unconditional().withContentType(PutOptions.JSON)))
          .thenApply(ignored -> own);
    }
    return deadline
        .retry(
            () ->
                store.put(
                    bucket,
                    RECORD,
                    body(own),
                    PutOptions.ifAbsent().withContentType(PutOptions.JSON)))
        .thenCompose(
            created -> {
              if (created instanceof PutOutcome.Written) {
                return CompletableFuture.completedFuture(own);
              }
              // Refused (another checker was first) or unanswered: what is recorded stands.
              return deadline
                  .retry(() -> store.get(bucket, RECORD))
                  .thenCompose(
                      result -> {
                        Verdict theirs = recorded(result);
                        if (theirs == null) { // gone again, or garbage: record ours
                          return settle(
                              store, bucket, own, result instanceof GetResult.Found, deadline);
                        }
                        if (theirs.wrong() == null && own.wrong() != null) {
                          return settle(store, bucket, own, true, deadline); // proof beats a pass
                        }
                        return CompletableFuture.completedFuture(theirs);
                      });
            });
  }

  /**
   * The verdict a record holds; null when there is none. Anything else under its name (garbage, a
   * record cut short) proves nothing: the check runs again and rewrites it.
   */
  private static @Nullable Verdict recorded(GetResult result) {
    if (!(result instanceof GetResult.Found found)) {
      return null;
    }
    Parsed<JsonNode> body = BucketJson.readObject(RECORD, found.object().body());
    if (body instanceof Parsed.Valid<JsonNode> valid
        && valid.value().path("atomicConditionalCreates").isBoolean()) {
      if (valid.value().path("atomicConditionalCreates").booleanValue()) {
        return new Verdict(null);
      }
      return new Verdict(
          valid.value().path("refusal").asText("its creates are not atomic")
              + " (the verdict of an earlier check, recorded in "
              + RECORD
              + ": delete it to check again)");
    }
    LOG.log(
        System.Logger.Level.WARNING,
        () ->
            "MPS3: "
                + RECORD
                + " is not a verdict ("
                + (body instanceof Parsed.Invalid<JsonNode> i ? i.reason() : "no verdict recorded")
                + "): checking the store again");
    return null;
  }

  private static Set<String> passed(ObjectStore store) {
    return PASSED.computeIfAbsent(store, s -> ConcurrentHashMap.newKeySet());
  }

  private static byte[] body(Verdict verdict) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("atomicConditionalCreates", verdict.wrong() == null);
    if (verdict.wrong() != null) {
      body.put("refusal", verdict.wrong());
    }
    body.put("racers", CreateRace.RACERS)
        .put("rounds", CreateRace.ROUNDS)
        .put("checkedAt", Instant.now().toString());
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final String REFUSAL = "the strict protocol needs atomic conditional creates";

  /** Whether a failure is this check's refusal of the bucket (which stands), not a failed check. */
  public static boolean isRefusal(Mps3Exception failure) {
    return failure.kind() == ErrorKind.INVALID
        && String.valueOf(failure.getMessage()).startsWith(REFUSAL);
  }

  static Mps3Exception refusal(ObjectStore store, String bucket, String what) {
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
}
