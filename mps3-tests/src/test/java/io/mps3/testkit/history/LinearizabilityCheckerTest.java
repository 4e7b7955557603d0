package io.mps3.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

  private static final LinearizabilityChecker<RegisterModel.Register> CHECKER =
      LinearizabilityChecker.of(RegisterModel.create());

  private final History h = History.create();

  // -- valid histories --------------------------------------------------------------------------

  @Test
  void check_sequentialHistory_isValid() {
    put(0, "k", "a");
    read(1, "k", "a");
    h.ok(h.invoke(0, Call.delete("k")));
    read(1, "k", null);
    assertValid();
  }

  @Test
  void check_overlappingOperations_mayLinearizeEitherWay() {
    int put = h.invoke(0, Call.put("k", "a"));
    int before = h.invoke(1, Call.get("k"));
    int after = h.invoke(2, Call.get("k"));
    h.read(after, "a");
    h.read(before, null); // invoked first, answered last: still linearizes before the put
    h.ok(put);
    assertValid();
  }

  @Test
  void check_unknownWriteThatTookEffectLate_isValid() {
    h.unknown(h.invoke(0, Call.put("k", "a")));
    read(1, "k", null);
    read(1, "k", "a");
    read(2, "k", "a");
    assertValid();
  }

  @Test
  void check_unknownWriteThatNeverTookEffect_isValid() {
    put(0, "k", "a");
    h.unknown(h.invoke(0, Call.put("k", "b")));
    read(1, "k", "a");
    read(2, "k", "a");
    assertValid();
  }

  @Test
  void check_unknownCompareAndSetThatDidNotWin_isValid() {
    h.unknown(h.invoke(0, Call.compareAndSet("k", null, "a")));
    cas(1, "k", null, "b", true);
    cas(2, "k", null, "c", false);
    read(2, "k", "b");
    assertValid();
  }

  @Test
  void check_failedOperationsAreLeftOut() {
    h.failed(h.invoke(0, Call.put("k", "a")));
    h.failed(h.invoke(1, Call.get("k")));
    read(1, "k", null);
    assertValid();
  }

  @Test
  void check_batchesAreCheckedPerKey() {
    Map<String, @Nullable String> batch = new LinkedHashMap<>();
    batch.put("a", "c0-1");
    batch.put("b", null);
    put(1, "b", "c1-1");
    h.ok(h.invoke(0, Call.putAll(batch)));
    read(1, "a", "c0-1");
    read(1, "b", null);
    assertValid();
  }

  @Test
  void check_randomLinearizableHistories_areValid() {
    for (long seed = 1; seed <= 30; seed++) {
      History history = RegisterSimulation.run(seed, 5, 30, 2, true);
      CheckResult result = CHECKER.check(history);
      assertThat(result.valid()).as("seed %d: %s%n%s", seed, result, history).isTrue();
    }
  }

  // -- violations -------------------------------------------------------------------------------

  @Test
  void check_staleReadAfterACompletedWrite_isViolation() {
    put(0, "k", "1");
    put(2, "other", "x");
    put(0, "k", "2");
    read(1, "k", "1");
    assertViolation(
        "k: not linearizable; a minimal set of 3 operation(s)",
        "#0 c0 put(k, 1) -> ok [1..2]",
        "#2 c0 put(k, 2) -> ok [5..6]",
        "#3 c1 get(k) -> 1 [7..8]");
  }

  @Test
  void check_lostWrite_isViolation() {
    put(0, "k", "1");
    read(1, "k", "1");
    put(1, "k", "2");
    read(0, "k", "1");
    assertViolation(
        "k: not linearizable; a minimal set of 3 operation(s)",
        "#2 c1 put(k, 2)",
        "#3 c0 get(k) -> 1");
  }

  @Test
  void check_twoCompareAndSetWinnersFromOneValue_isViolation() {
    put(0, "k", "0");
    int first = h.invoke(1, Call.compareAndSet("k", "0", "1"));
    int second = h.invoke(2, Call.compareAndSet("k", "0", "2"));
    h.swapped(second, true);
    h.swapped(first, true);
    read(0, "k", "2");
    assertViolation(
        "k: not linearizable; a minimal set of 3 operation(s)",
        "#0 c0 put(k, 0) -> ok",
        "#1 c1 cas(k, 0 -> 1) -> swapped",
        "#2 c2 cas(k, 0 -> 2) -> swapped");
  }

  @Test
  void check_readOfAValueNeverWritten_isViolation() {
    put(0, "k", "a");
    read(1, "k", "zz");
    assertViolation("k: not linearizable; a minimal set of 1 operation(s)", "#1 c1 get(k) -> zz");
  }

  @Test
  void check_readOfAFailedWrite_isViolation() {
    h.failed(h.invoke(0, Call.put("k", "a")));
    read(1, "k", "a");
    assertViolation("k: not linearizable; a minimal set of 1 operation(s)", "#1 c1 get(k) -> a");
  }

  @Test
  void check_otherKeysStayOutOfTheMessage() {
    put(0, "a", "1");
    read(1, "a", "1");
    put(0, "k", "1");
    read(1, "k", null);
    List<Violation> violations = CHECKER.check(h).violations();
    assertThat(violations)
        .singleElement()
        .satisfies(v -> assertThat(v.message()).doesNotContain("put(a"));
  }

  // -- performance ------------------------------------------------------------------------------

  @Test
  void check_eightClientsOfFiftyOperations_takesWellUnderASecond() {
    History history = RegisterSimulation.run(42, 8, 50, 3, true);
    long start = System.nanoTime();
    CheckResult result = CHECKER.check(history);
    long millis = (System.nanoTime() - start) / 1_000_000;

    System.out.printf(
        "%s checker: %s in %d ms%n",
        "linearizability", RegisterSimulation.describe(history), millis);
    assertThat(result.valid()).as("%s", result).isTrue();
    assertThat(millis).as("milliseconds").isLessThan(1000);
  }

  // -- helpers ----------------------------------------------------------------------------------

  private void put(int client, String key, String value) {
    h.ok(h.invoke(client, Call.put(key, value)));
  }

  private void read(int client, String key, @Nullable String value) {
    h.read(h.invoke(client, Call.get(key)), value);
  }

  private void cas(int client, String key, @Nullable String expected, String value, boolean won) {
    h.swapped(h.invoke(client, Call.compareAndSet(key, expected, value)), won);
  }

  private void assertValid() {
    CheckResult result = CHECKER.check(h);
    assertThat(result.valid()).as("%s%n%s", result, h).isTrue();
  }

  private void assertViolation(String... parts) {
    List<Violation> violations = CHECKER.check(h).violations();
    assertThat(violations)
        .as("%s", h)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo(LinearizabilityChecker.LINEARIZABLE);
              assertThat(v.message()).contains(parts);
            });
  }
}
