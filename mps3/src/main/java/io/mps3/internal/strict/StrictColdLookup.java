package io.mps3.internal.strict;

import io.mps3.spi.ObjectMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One key of a strict manifest read from the store without its whole state (design 0022), in the
 * round trips of an open: the head; the index it names and the LIST of the log after it; in each
 * run the one segment whose range can hold the key, and the entries after the index; then slot
 * after slot up to the first empty one, as every strict read does (B2), so the answer is as
 * linearizable as an open's. A whole-state checkpoint (before design 0016) has no runs: its lookup
 * reads it whole, which is the open. Wherever an open would fall back (no checkpoint, an unreadable
 * one, a gap, a segment or a listed entry gone), the lookup finds nothing and the caller opens
 * instead. Stateless.
 */
final class StrictColdLookup {

  /**
   * What a lookup found.
   *
   * @param tip the last slot read: the answer is the key's value after it
   * @param slot the key's slot then; null when absent
   * @param seed what the whole open continues from
   */
  record Found(long tip, @Nullable StrictSlot slot, Seed seed) {}

  /**
   * A checkpoint as a lookup reads it: an index, or the whole state an older client wrote.
   *
   * @param seq its slot
   * @param index the index; null for a whole state
   * @param whole the whole state; null for an index
   */
  record Checkpoint(long seq, @Nullable StrictIndex index, @Nullable StrictState whole) {

    List<StrictIndex.Run> runs() {
      return index == null ? List.of() : index.runs();
    }
  }

  /**
   * The objects a lookup read, so that the whole open reads none of them again.
   *
   * @param checkpoint the checkpoint the lookup started from
   * @param segments the segments read, by name
   * @param entries every entry after the checkpoint up to the lookup's tip, in order
   */
  record Seed(
      Checkpoint checkpoint,
      Map<String, List<StrictSegment.File>> segments,
      List<StrictEntry> entries) {}

  private StrictColdLookup() {}

  /** The slot of file {@code url}; null when an open must answer instead. */
  static CompletableFuture<@Nullable Found> read(StrictLog log, String url) {
    return log.readHead()
        .thenCompose(
            n ->
                n == 0 // no checkpoint: the open reads the log from its first slot
                    ? CompletableFuture.<@Nullable Found>completedFuture(null)
                    : fromIndex(log, n, url));
  }

  private static CompletableFuture<@Nullable Found> fromIndex(StrictLog log, long n, String url) {
    CompletableFuture<List<ObjectMetadata>> listing = log.listAfter(n);
    return log.readCheckpoint(n)
        .thenCompose(
            checkpoint ->
                listing.thenCompose(
                    listed -> {
                      List<Long> slots = log.contiguous(n, listed);
                      if (checkpoint == null || (slots.isEmpty() && log.hasSlotAfter(n, listed))) {
                        // the checkpoint gone or invalid, or a gap: the open falls back
                        return CompletableFuture.<@Nullable Found>completedFuture(null);
                      }
                      return fromSegments(log, checkpoint, slots, url);
                    }));
  }

  private static CompletableFuture<@Nullable Found> fromSegments(
      StrictLog log, Checkpoint checkpoint, List<Long> slots, String url) {
    Map<String, CompletableFuture<@Nullable List<StrictSegment.File>>> reads =
        new LinkedHashMap<>();
    for (StrictIndex.Run run : checkpoint.runs()) {
      StrictIndex.Ref ref = holding(run, url);
      if (ref != null) {
        reads.computeIfAbsent(ref.segment(), name -> log.segment(name, checkpoint.seq()));
      }
    }
    CompletableFuture<List<@Nullable StrictEntry>> entries = log.readAll(slots);
    List<CompletableFuture<?>> all = new ArrayList<>(reads.values());
    all.add(entries);
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenCompose(
            ignored -> {
              Map<String, List<StrictSegment.File>> segments = new LinkedHashMap<>();
              for (var read : reads.entrySet()) {
                List<StrictSegment.File> files = read.getValue().join();
                if (files == null) { // missing or not the segment named: cleanup, or worse
                  return CompletableFuture.<@Nullable Found>completedFuture(null);
                }
                segments.put(read.getKey(), files);
              }
              List<StrictEntry> after = new ArrayList<>();
              for (StrictEntry entry : entries.join()) {
                if (entry == null) { // listed, then cleaned up: the open starts again
                  return CompletableFuture.<@Nullable Found>completedFuture(null);
                }
                after.add(entry);
              }
              return follow(log, checkpoint.seq() + after.size(), after)
                  .thenApply(
                      read ->
                          new Found(
                              checkpoint.seq() + read.size(),
                              slotOf(url, checkpoint, segments, read),
                              new Seed(checkpoint, segments, read)));
            });
  }

  /** Reads slot after slot from {@code tip + 1}, adding each entry, up to the first empty one. */
  private static CompletableFuture<List<StrictEntry>> follow(
      StrictLog log, long tip, List<StrictEntry> read) {
    return log.read(tip + 1)
        .thenCompose(
            entry -> {
              if (entry == null) {
                return CompletableFuture.completedFuture(read);
              }
              read.add(entry);
              return follow(log, tip + 1, read);
            });
  }

  /**
   * The key's slot: the last entry that writes it, else the whole state's, else the newest run
   * holding it (a deletion in a delta run is absent), else absent.
   */
  private static @Nullable StrictSlot slotOf(
      String url,
      Checkpoint checkpoint,
      Map<String, List<StrictSegment.File>> segments,
      List<StrictEntry> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Map<String, @Nullable StrictSlot> files = entries.get(i).files();
      if (files.containsKey(url)) {
        return files.get(url);
      }
    }
    StrictState whole = checkpoint.whole();
    if (whole != null) {
      return whole.slot(url);
    }
    List<StrictIndex.Run> runs = checkpoint.runs();
    for (int i = runs.size() - 1; i >= 0; i--) {
      StrictIndex.Ref ref = holding(runs.get(i), url);
      List<StrictSegment.File> files = ref == null ? null : segments.get(ref.segment());
      for (StrictSegment.File file : files == null ? List.<StrictSegment.File>of() : files) {
        if (file.url().equals(url)) {
          return file.slot();
        }
      }
    }
    return null;
  }

  /**
   * The segment of a run whose range holds {@code url}: the last whose first file is at or before
   * it; null when the URL sorts before the run's first segment (the run has no file for it).
   */
  static StrictIndex.@Nullable Ref holding(StrictIndex.Run run, String url) {
    StrictIndex.Ref out = null;
    for (StrictIndex.Ref ref : run.segments()) {
      if (ref.first().compareTo(url) > 0) {
        break;
      }
      out = ref;
    }
    return out;
  }
}
