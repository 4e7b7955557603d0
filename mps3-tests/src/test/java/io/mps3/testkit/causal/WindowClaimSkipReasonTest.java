package io.mps3.testkit.causal;

import static io.mps3.testkit.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalLog;
import io.mps3.internal.causal.CausalSettings;
import io.mps3.internal.causal.CausalView;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import io.mps3.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Review of design 0024: a writer's window claim treats every entry it holds a skip reason for
 * ({@code CausalEntries.known} answering a {@code String}) as one that every reader skips. A reason
 * is cached once and never looked at again, but readers that never cached it read the entry and
 * replay its update. Then a reader trusting the claim resolves another state than a full replay.
 *
 * <p>Both tests failed on the code of 94ec3d9 (the trusting reader missed the entry's write); a
 * writer now claims only over entries whose update it holds ({@code CausalEntries.knownUpdate}).
 */
class WindowClaimSkipReasonTest {

  private static final String BUCKET = "claims";
  private static final CausalLayout LAYOUT = new CausalLayout("manifest.json");

  /**
   * An entry that was garbage when the writer read it (reason cached) and was then written again
   * under its key with a valid body (a person repairing the bucket, another client's resend of
   * other bytes): every reader that did not cache the reason replays it. The review's first case
   * was a body the whole parse refused and the update-only parse took (a number no BigDecimal
   * holds); both parses now refuse it alike ({@code CausalEntryUpdateTest}).
   */
  @Test
  void anEntryUnreadableWhenTheWriterReadItButValidNow_isReplayedByReadersAndNotClaimedOver() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-08T12:00:00Z"));
    ObjectStore store = ObjectStores.inMemory(clock);
    long t0 = clock.millis();
    CausalLog a = log(store, clock, "writera", true);
    await(a.commit(await(a.refresh(null)), patch("claims/k1", "v1")));

    clock.advance(Duration.ofMillis(100));
    String odd = LAYOUT.entryKey(t0 + 100, "oddwriter", 0);
    put(store, odd, "{\"files\": \"not an object\"}");
    put(store, LAYOUT.markerKey(), "\"" + odd + "\"");

    clock.advance(Duration.ofMillis(100));
    CausalLog x = log(store, clock, "writerx", true);
    await(x.refresh(null)); // the odd entry is its newest: read whole, refused, reason cached
    clock.advance(Duration.ofMillis(100));
    put(
        store,
        odd,
        "{\"files\":{},"
            + "\"update\":{\"files\":{\"claims/k2\":{\"version\":\"v2\",\"replication\":\"\"}}}}");
    clock.advance(Duration.ofMillis(100));
    commitThenCompareReaders(store, clock, x, await(x.relist(null))); // the entry's new ETag
  }

  /**
   * An entry first listed 5 s or more away from its LastModified (skewed, reason cached by the
   * listing) and then valid: its PUT landed twice (a resend of one PUT whose answer was lost, S3
   * stamps each copy), the second copy nearer its time. The writer that listed the first copy
   * claims a window in which every other reader replays the entry.
   */
  @Test
  void anEntryFirstListedAsSkewed_isReplayedByReadersButSkippedByTheClaim() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-08T12:00:00Z"));
    ObjectStore store = ObjectStores.inMemory(clock);
    long t0 = clock.millis();
    // A writer whose clock is 6 s ahead: its first copy lands 6 s before its time.
    String ahead = LAYOUT.entryKey(t0 + 6000, "aheadwriter", 0);
    String body =
        "{\"files\":{},\"update\":{\"files\":{\"claims/k2\":{\"version\":\"v2\",\"replication\":\"\"}}}}";
    put(store, ahead, body);

    clock.advance(Duration.ofMillis(100));
    CausalLog x = log(store, clock, "writerx", true);
    await(x.refresh(null)); // lists the copy as skewed: the reason is cached

    clock.advance(Duration.ofMillis(1400));
    CausalLog a = log(store, clock, "writera", true);
    await(a.commit(await(a.refresh(null)), patch("claims/k1", "v1")));

    clock.advance(Duration.ofMillis(500));
    put(store, ahead, body); // the resent copy: same bytes, same ETag, 4 s before its time

    clock.advance(Duration.ofMillis(100));
    commitThenCompareReaders(store, clock, x, await(x.refresh(null)));
  }

  /**
   * Writer x commits on {@code view}; then a reader trusting claims must resolve what a full replay
   * resolves, which holds the entry's write ({@code claims/k2}).
   */
  private static void commitThenCompareReaders(
      ObjectStore store, ManualClock clock, CausalLog x, CausalView view) {
    await(x.commit(view, patch("claims/k3", "v3")));
    clock.advance(Duration.ofMillis(100));
    ObjectNode full = resolve(store, clock, false);
    ObjectNode trusting = resolve(store, clock, true);
    assertThat(full.path("files").has("claims/k2"))
        .as("a full replay applies the entry's write")
        .isTrue();
    assertThat(trusting).as("a reader trusting the claim").isEqualTo(full);
  }

  private static void put(ObjectStore store, String key, String body) {
    await(
        store.put(
            BUCKET,
            key,
            body.getBytes(StandardCharsets.UTF_8),
            PutOptions.unconditional().withContentType(PutOptions.JSON)));
  }

  private static ObjectNode patch(String url, String version) {
    ObjectNode patch = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    patch.putObject("files").putObject(url).put("version", version).put("replication", "");
    return patch;
  }

  /** A new reader's state: its first read sees the marker, so the newest entry is at hand. */
  private static ObjectNode resolve(ObjectStore store, ManualClock clock, boolean claims) {
    return await(log(store, clock, claims ? "readerclaims" : "readerfull", claims).refresh(null))
        .state();
  }

  private static CausalLog log(ObjectStore store, ManualClock clock, String session, boolean on) {
    CausalSettings settings = CausalSettings.readingOnly(on);
    return new CausalLog(
        store, BUCKET, LAYOUT, clock, settings, session, new AtomicLong(), (key, reason) -> {});
  }
}
