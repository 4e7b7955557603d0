package io.mps3.internal.strict;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the writer of a checkpoint slot writes (design 0016): the segments not written before and
 * the index naming them and the ones it reuses. Made under the manifest's lock from the state at
 * the slot; written outside it.
 *
 * @param index the checkpoint's index
 * @param segments the segments to write before it
 * @param retiresSegments whether the previous index named segments this one no longer does (a
 *     merge), so that a cleanup may find segments to delete
 */
record StrictCheckpointPlan(
    StrictIndex index, List<StrictSegment.Built> segments, boolean retiresSegments) {

  /** A segment's target size, unless the base is larger than 64 of them. */
  static final long TARGET_BYTES = 256 * 1024;

  /** How many runs of one tier are merged into one of the next. */
  static final int FAN_IN = 8;

  /** More delta runs than this are merged into a new base. */
  static final int MAX_RUNS = 32;

  /**
   * The checkpoint of {@code state} at its tip, {@code interval} slots after the last one: a delta
   * on the index the state continues from, when that is the last checkpoint; else a new base.
   */
  static StrictCheckpointPlan of(StrictState state, long interval) {
    long n = state.tip();
    StrictIndex previous = state.index();
    if (previous == null
        || previous.seq() != n - interval
        || previous.base().to() < state.horizon()) {
      return base(state, Set.of(), interval);
    }
    long target = target(previous.base().bytes());
    List<StrictIndex.Run> runs = new ArrayList<>(previous.deltas());
    List<StrictSegment.Built> written = new ArrayList<>();
    List<StrictSegment.File> delta = state.changedAfter(previous.seq());
    if (!delta.isEmpty()) {
      runs.add(run(0, previous.seq(), n, StrictSegment.cut(delta, target), written));
    }
    boolean merged = false;
    while (sameTier(runs)) {
      List<StrictIndex.Run> newest = runs.subList(runs.size() - FAN_IN, runs.size());
      int tier = newest.get(0).tier() + 1;
      long from = newest.get(0).from();
      newest.clear();
      List<StrictSegment.File> files = state.changedAfter(from);
      if (!files.isEmpty()) {
        runs.add(run(tier, from, n, StrictSegment.cut(files, target), written));
      }
      merged = true;
    }
    long deltaFiles = runs.stream().mapToLong(StrictIndex.Run::files).sum();
    if (deltaFiles >= previous.base().files() || runs.size() > MAX_RUNS) {
      return base(state, previous.names(), interval);
    }
    StrictIndex index = new StrictIndex(n, previous.base(), runs, state.lastOps(interval));
    Set<String> before = previous.names();
    Set<String> named = index.names();
    written.removeIf(s -> before.contains(s.name()) || !named.contains(s.name()));
    return new StrictCheckpointPlan(index, written, merged);
  }

  /** A whole new base: every live file, no deltas. */
  private static StrictCheckpointPlan base(StrictState state, Set<String> before, long interval) {
    List<StrictSegment.File> files = state.allFiles();
    long bytes = files.stream().mapToLong(StrictSegment.File::estimatedBytes).sum();
    List<StrictSegment.Built> written = new ArrayList<>();
    StrictIndex.Run base = run(0, 0, state.tip(), StrictSegment.cut(files, target(bytes)), written);
    StrictIndex index = new StrictIndex(state.tip(), base, List.of(), state.lastOps(interval));
    boolean retires = !index.names().containsAll(before);
    written.removeIf(s -> before.contains(s.name()));
    return new StrictCheckpointPlan(index, written, retires);
  }

  private static StrictIndex.Run run(
      int tier,
      long from,
      long to,
      List<StrictSegment.Built> built,
      List<StrictSegment.Built> all) {
    all.addAll(built);
    return new StrictIndex.Run(
        tier, from, to, built.stream().map(StrictSegment.Built::ref).toList());
  }

  /** Whether the newest {@link #FAN_IN} runs share one tier. */
  private static boolean sameTier(List<StrictIndex.Run> runs) {
    if (runs.size() < FAN_IN) {
      return false;
    }
    int tier = runs.get(runs.size() - 1).tier();
    for (int i = runs.size() - FAN_IN; i < runs.size(); i++) {
      if (runs.get(i).tier() != tier) {
        return false;
      }
    }
    return true;
  }

  private static long target(long baseBytes) {
    return Math.max(TARGET_BYTES, baseBytes / 64);
  }
}
