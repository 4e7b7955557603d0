package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.manifest.Errors;
import io.mps3.spi.ClientMetrics.CommitEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One try of {@link StrictCommitter} at one slot: the entry, the writes it commits, and those its
 * state refused; and how the next one is formed from the queue (group commit).
 */
final class StrictAttempt {

  final StrictEntry entry;
  final List<StrictWrite> batch;
  final List<StrictWrite> refused;
  volatile boolean won;

  /**
   * The deadline of learning who owns the slot, from the first answer that did not tell (a lost
   * answer, a failed create, a refusal whose winner could not be read); null before. Only the
   * committer's chain for this attempt, one step at a time, touches this and the fields below.
   */
  volatile @Nullable RetryUntil resolving;

  /** Whether a create of this entry may have landed: one lost its answer or failed. */
  volatile boolean mayHaveLanded;

  /** The last failure met while resolving, for the error that reports it. */
  volatile @Nullable Throwable lastFailure;

  /**
   * Whether the entry landed, once learnt after its callers were told its outcome is unknown
   * ({@link UnknownOutcomes}); they hold it as {@code Mps3Exception.laterOutcome()}.
   */
  final CompletableFuture<Boolean> laterOutcome = new CompletableFuture<>();

  /**
   * Whether its commit was reported: the writes learn it by one path or two (see the committer).
   */
  private final AtomicBoolean reported = new AtomicBoolean();

  StrictAttempt(StrictEntry entry, List<StrictWrite> batch, List<StrictWrite> refused) {
    this.entry = entry;
    this.batch = batch;
    this.refused = refused;
  }

  /** The entry is in the log: counts it once, then completes its writes. Outside the lock. */
  void committed(StrictManifest sync) {
    if (reported.compareAndSet(false, true)) {
      sync.metrics.commit(sync.manifestKey, CommitEvent.COMMITTED);
    }
    batch.forEach(w -> w.done.complete(true));
  }

  /**
   * What {@link #form} made: an attempt (null when nothing was ready), and whether it stopped at a
   * write whose precondition failed on a state that may predate the write.
   */
  record Formed(@Nullable StrictAttempt attempt, boolean stale) {}

  /**
   * Takes the writes at the head of the queue that can share the next entry, in order, as long as
   * their preconditions hold on {@code state}. Under the manifest's lock.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // a failed upload fails its write's future
  static Formed form(
      ArrayDeque<StrictWrite> queue, StrictState state, StrictManifest sync, String session) {
    long seq = state.tip() + 1;
    List<StrictWrite> batch = new ArrayList<>();
    List<StrictWrite> refused = new ArrayList<>();
    Map<String, @Nullable StrictSlot> files = new LinkedHashMap<>();
    Map<String, Long> expect = new LinkedHashMap<>();
    Set<String> written = new HashSet<>();
    int bytes = 0;
    boolean stale = false;
    while (!queue.isEmpty()) {
      StrictWrite w = queue.peek();
      if (!w.ready()) {
        break;
      }
      if (w.contentVersions.isCompletedExceptionally() || w.done.isDone()) {
        queue.poll();
        w.contentVersions.whenComplete((v, e) -> w.done.completeExceptionally(Errors.translate(e)));
        continue;
      }
      boolean holds = true;
      boolean waits = false;
      for (Map.Entry<String, Long> e : w.expect.entrySet()) {
        String url = CausalLayout.fileUrl(sync.bucket, e.getKey());
        waits |= written.contains(url);
        holds &= state.version(url) == e.getValue();
      }
      if (waits
          || batch.size() == StrictSettings.MAX_BATCH_WRITES
          || (!batch.isEmpty() && bytes + w.inlineBytes > StrictSettings.MAX_BATCH_BYTES)) {
        break;
      }
      if (!holds && !w.rechecked) {
        stale = true;
        break;
      }
      queue.poll();
      if (!holds) {
        refused.add(w);
        continue;
      }
      batch.add(w);
      bytes += w.inlineBytes;
      Map<String, String> versions = w.contentVersions.join();
      w.values.forEach(
          (key, value) -> {
            String url = CausalLayout.fileUrl(sync.bucket, key);
            written.add(url);
            files.remove(url); // a later write of a key comes last, as if committed after
            files.put(url, slotOf(seq, value, versions.get(key)));
          });
      w.expect.forEach(
          (key, version) -> expect.putIfAbsent(CausalLayout.fileUrl(sync.bucket, key), version));
    }
    if (batch.isEmpty() && refused.isEmpty()) {
      return new Formed(null, stale);
    }
    String op = UUID.randomUUID().toString();
    StrictEntry entry = new StrictEntry(seq, sync.clock.millis(), session, op, files, expect);
    return new Formed(new StrictAttempt(entry, batch, refused), stale);
  }

  private static @Nullable StrictSlot slotOf(
      long seq, @Nullable JsonNode value, @Nullable String contentVersion) {
    if (value == null) {
      return null;
    }
    return contentVersion != null
        ? new StrictSlot(seq, null, contentVersion)
        : new StrictSlot(seq, value, null);
  }
}
