package io.mps3.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CausalCheckerTest {

  private final History h = History.create();

  // -- valid histories --------------------------------------------------------------------------

  @Test
  void check_concurrentWritesSeenInEitherOrder_isValid() {
    int x = h.invoke(0, Call.put("k", "c0-1"));
    int y = h.invoke(1, Call.put("k", "c1-1"));
    read(2, "k", "c0-1"); // overlapping the writes
    h.ok(x);
    read(3, "k", "c1-1");
    h.ok(y);
    read(2, "k", "c1-1");
    read(3, "k", "c0-1"); // concurrent: either order, per reader
    finals("k", "c0-1", 4);

    assertValid(CausalChecker.create());
  }

  @Test
  void check_ownUnacknowledgedWriteWithdrawn_isValid() {
    put(0, "k", "c0-1");
    int w = h.invoke(0, Call.put("k", "c0-2"));
    h.delivered(0, 7, "k", "c0-1");
    h.delivered(0, 7, "k", "c0-2"); // pending, shown at once
    h.unknown(w);
    h.delivered(0, 7, "k", "c0-1"); // withdrawn: it never landed
    read(0, "k", "c0-1");
    read(1, "k", "c0-1");
    finals("k", "c0-1", 2);

    assertValid(CausalChecker.withSynchronizedClocks(Duration.ZERO));
  }

  @Test
  void check_unknownWriteThatLanded_isValid() {
    put(0, "k", "c0-1");
    unknown(0, "k", "c0-2");
    read(1, "k", "c0-2");
    h.delivered(1, 3, "k", "c0-2");
    finals("k", "c0-2", 2);

    assertValid(CausalChecker.create());
  }

  @Test
  void check_ownFailedWriteNotSeenByItself_isValid() {
    unknown(0, "a", "c0-1"); // landed: c2 sees it
    put(0, "b", "c0-2");
    read(2, "a", "c0-1");
    read(0, "a", null); // its own failed write need not be visible to it
    assertValid(CausalChecker.create());
  }

  @Test
  void check_deletesAndAbsentReads_areValid() {
    put(0, "k", "c0-1");
    read(1, "k", "c0-1");
    int d = h.invoke(1, Call.delete("k"));
    h.delivered(0, 1, "k", "c0-1");
    read(0, "k", null); // overlapping the delete: may see it
    h.ok(d);
    h.delivered(0, 1, "k", null);
    finals("k", null, 2);

    assertValid(CausalChecker.withSynchronizedClocks(Duration.ZERO));
  }

  @Test
  void check_batchSeenWhole_andCausalChainsRespected_isValid() {
    Map<String, @Nullable String> batch = new LinkedHashMap<>();
    batch.put("a", "c0-1");
    batch.put("b", "c0-1");
    h.ok(h.invoke(0, Call.putAll(batch)));
    read(1, "a", "c0-1");
    put(1, "b", "c1-1");
    read(2, "b", "c1-1");
    read(2, "a", "c0-1");
    Map<String, @Nullable String> state = new LinkedHashMap<>();
    state.put("a", "c0-1");
    state.put("b", "c1-1");
    for (int c = 0; c < 3; c++) {
      h.finalState(c, state);
    }
    assertValid(CausalChecker.create());
  }

  @Test
  void check_randomLinearizableHistories_areValid() {
    for (long seed = 1; seed <= 20; seed++) {
      History history = RegisterSimulation.run(seed, 4, 30, 3, false);
      assertThat(CausalChecker.withSynchronizedClocks(Duration.ZERO).check(history).valid())
          .as("seed %d:%n%s", seed, history)
          .isTrue();
    }
  }

  // -- violations -------------------------------------------------------------------------------

  @Test
  void check_writerOrderGoesBackInGets_isViolation() {
    put(0, "k", "c0-1");
    put(0, "k", "c0-2");
    read(1, "k", "c0-2");
    read(1, "k", "c0-1");
    assertViolation(CausalChecker.WRITER_ORDER, "c1 get #3 saw k = c0-1 after #1 c0 put(k, c0-2)");
  }

  @Test
  void check_writerOrderGoesBackInNotifications_isViolation() {
    put(0, "k", "c0-1");
    put(0, "k", "c0-2");
    h.delivered(1, 4, "k", "c0-2");
    h.delivered(1, 4, "k", "c0-1");
    assertViolation(CausalChecker.WRITER_ORDER, "c1 subscription 4 saw k = c0-1 after #1");
  }

  @Test
  void check_notificationGoesBackToCausallyOlderValue_isViolation() {
    put(0, "k", "c0-1");
    read(1, "k", "c0-1");
    put(1, "k", "c1-1"); // written after c1 saw c0-1
    h.delivered(2, 5, "k", "c1-1");
    h.delivered(2, 5, "k", "c0-1");
    assertViolation(CausalChecker.MONOTONIC, "c2 subscription 5 saw k = c0-1, older than #2");
  }

  @Test
  void check_returnsToAReplacedValue_isViolation() {
    put(0, "k", "c0-1");
    put(1, "k", "c1-1"); // concurrent with c0-1
    read(2, "k", "c0-1");
    read(2, "k", "c1-1");
    read(2, "k", "c0-1");
    assertViolation(CausalChecker.MONOTONIC, "saw k = c0-1 again after #1 c1 put(k, c1-1)");
  }

  @Test
  void check_absentAfterAValueWithNoDelete_isViolation() {
    put(0, "k", "c0-1");
    h.delivered(1, 2, "k", "c0-1");
    h.delivered(1, 2, "k", null);
    assertViolation(CausalChecker.MONOTONIC, "c1 subscription 2 saw k = <absent> after #0");
  }

  @Test
  void check_causalPastNotVisible_isViolation() {
    put(0, "a", "c0-1");
    put(0, "a", "c0-2");
    put(0, "b", "c0-3"); // its causal past holds c0-2 on a
    read(1, "a", "c0-1");
    read(1, "b", "c0-3");
    read(1, "a", "c0-1");
    assertViolation(
        CausalChecker.CAUSAL_PAST,
        "c1 get #5 saw a = c0-1, older than #1 c0 put(a, c0-2) -> ok [3..4], which it knew of (in"
            + " the causal past of #2");
  }

  @Test
  void check_causalPastThroughAnotherClient_isViolation() {
    put(0, "a", "c0-1");
    read(1, "a", "c0-1");
    put(1, "b", "c1-1");
    h.delivered(2, 9, "b", "c1-1"); // a notification counts for later gets
    read(2, "a", null);
    assertViolation(CausalChecker.CAUSAL_PAST, "c2 get #3 saw a = <absent>, but it knew of #0");
  }

  @Test
  void check_failedWriteThatLandedMissingAfterItsSuccessor_isViolation() {
    unknown(0, "a", "c0-1");
    put(0, "b", "c0-2");
    read(2, "a", "c0-1"); // it landed
    read(1, "b", "c0-2");
    read(1, "a", null);
    assertViolation(CausalChecker.CAUSAL_PAST, "c1 get #4 saw a = <absent>, but it knew of #0");
  }

  @Test
  void check_clientsDiverge_isViolation() {
    put(0, "k", "c0-1");
    put(1, "k", "c1-1");
    h.finalState(0, Map.of("k", "c0-1"));
    h.finalState(1, Map.of("k", "c1-1"));
    assertViolation(
        CausalChecker.DIVERGENCE, "after quiescence c0 reads k = c0-1 but c1 reads c1-1");
  }

  @Test
  void check_finalStateOlderThanALandedWrite_isLostWrite() {
    put(0, "k", "c0-1");
    read(1, "k", "c0-1");
    put(1, "k", "c1-1");
    finals("k", "c0-1", 2);
    assertViolation(CausalChecker.LOST_WRITE, "after quiescence k = c0-1, older than #2");
  }

  @Test
  void check_finalStateAbsentAfterAcknowledgedWrite_isLostWrite() {
    put(0, "k", "c0-1");
    finals("k", null, 2);
    assertViolation(CausalChecker.LOST_WRITE, "after quiescence k is absent, but #0");
  }

  @Test
  void check_unknownWriteSeenThenLost_isLostWrite() {
    put(0, "k", "c0-1");
    unknown(0, "k", "c0-2");
    read(1, "k", "c0-2");
    finals("k", "c0-1", 2);
    assertViolation(CausalChecker.LOST_WRITE, "k = c0-1, older than #1");
  }

  @Test
  void check_laterWriteLosesToEarlierOne_isLostWriteOnlyWithSynchronizedClocks() {
    put(0, "k", "c0-1");
    put(1, "k", "c1-1"); // began after c0-1 ended, but c1 had not seen it
    finals("k", "c0-1", 2);

    assertThat(CausalChecker.create().check(h).valid()).isTrue();
    assertThat(CausalChecker.withSynchronizedClocks(Duration.ZERO).check(h).violations())
        .singleElement()
        .satisfies(v -> assertThat(v.rule()).isEqualTo(CausalChecker.LOST_WRITE))
        .satisfies(v -> assertThat(v.message()).contains("ended before acknowledged #1"));
  }

  @Test
  void check_valueNobodyWrote_isPhantom() {
    put(0, "k", "c0-1");
    read(1, "k", "c9-9");
    assertViolation(CausalChecker.PHANTOM, "c1 get #1 saw k = c9-9, which no write wrote");
  }

  @Test
  void check_sameValueWrittenTwice_isRefused() {
    put(0, "k", "c0-1");
    put(1, "k", "c0-1");
    assertThatThrownBy(() -> CausalChecker.create().check(h))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two writes of c0-1 to k");
  }

  // -- performance ------------------------------------------------------------------------------

  @Test
  void check_eightClientsOfFiftyOperations_takesWellUnderASecond() {
    History history = RegisterSimulation.run(42, 8, 50, 3, false);
    long start = System.nanoTime();
    CheckResult result = CausalChecker.withSynchronizedClocks(Duration.ZERO).check(history);
    long millis = (System.nanoTime() - start) / 1_000_000;

    System.out.printf(
        "%s checker: %s in %d ms%n", "causal", RegisterSimulation.describe(history), millis);
    assertThat(result.valid()).as("%s", result).isTrue();
    assertThat(result.operations()).isEqualTo(400);
    assertThat(millis).as("milliseconds").isLessThan(1000);
  }

  // -- helpers ----------------------------------------------------------------------------------

  private void put(int client, String key, String value) {
    h.ok(h.invoke(client, Call.put(key, value)));
  }

  private void unknown(int client, String key, String value) {
    h.unknown(h.invoke(client, Call.put(key, value)));
  }

  private void read(int client, String key, @Nullable String value) {
    h.read(h.invoke(client, Call.get(key)), value);
  }

  private void finals(String key, @Nullable String value, int clients) {
    Map<String, @Nullable String> state = new LinkedHashMap<>();
    state.put(key, value);
    for (int c = 0; c < clients; c++) {
      h.finalState(c, state);
    }
  }

  private void assertValid(CausalChecker checker) {
    CheckResult result = checker.check(h);
    assertThat(result.valid()).as("%s%n%s", result, h).isTrue();
  }

  private void assertViolation(String rule, String message) {
    List<Violation> violations = CausalChecker.create().check(h).violations();
    assertThat(violations).as("%s", h).hasSize(1);
    assertThat(violations.get(0).rule()).isEqualTo(rule);
    assertThat(violations.get(0).message()).contains(message);
  }
}
