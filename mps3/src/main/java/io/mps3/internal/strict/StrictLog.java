package io.mps3.internal.strict;

import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.bucket.SkipLog;
import io.mps3.internal.bucket.SkipWarnings;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The objects of one strict manifest in the store (PROTOCOL.md B1, B2): reads slots, checkpoints
 * and the head, and creates slots with {@code If-None-Match: *}. Stateless apart from its
 * configuration; thread-safe.
 */
public final class StrictLog {

  /** Entries read at once when opening. */
  private static final int PARALLEL_READS = 64;

  /** How often an open starts again from the head when cleanup deleted an entry it listed. */
  private static final int OPENS = 3;

  private final ObjectStore store;
  private final String bucket;
  private final StrictLayout layout;
  private final SkipLog warnings;
  private final StrictCheckpoints checkpoints;

  /** The log of one manifest. */
  public StrictLog(ObjectStore store, String bucket, StrictLayout layout, SkipWarnings warnings) {
    this.store = store;
    this.bucket = bucket;
    this.layout = layout;
    this.warnings = new SkipLog(warnings);
    this.checkpoints = new StrictCheckpoints(store, bucket, layout, this.warnings);
  }

  /** The layout. */
  public StrictLayout layout() {
    return layout;
  }

  /**
   * Loads the newest state: the checkpoint the head names, then every entry after it, read in
   * parallel (B2): 3 round trips (the head; the checkpoint and the LIST of the log after it; the
   * checkpoint's segments and the entries). When the head is stale and entries it needs were
   * cleaned up, starts again from the newest checkpoint listed. When an entry it listed is gone
   * when read (cleanup deleted it meanwhile: this open took longer than the grace, or its head was
   * stale), the state would stop short of the log's end, so it starts again from the head, a few
   * times at most (design 0020).
   */
  public CompletableFuture<StrictState> open() {
    return open(1);
  }

  private CompletableFuture<StrictState> open(int attempt) {
    return readHead()
        .thenCompose(c -> openFrom(c, true))
        .thenCompose(
            state -> {
              if (state != null) {
                return CompletableFuture.completedFuture(state);
              }
              if (attempt < OPENS) {
                return open(attempt + 1);
              }
              throw new IllegalStateException(
                  "the log of manifest "
                      + layout.manifest()
                      + " was cleaned up past entries listed while opening it, "
                      + OPENS
                      + " times in a row: is the cleanup grace (autocleanGrace) too short?");
            });
  }

  /**
   * The whole state, continuing from what a cold read of one key read (design 0022): the index's
   * other segments, then the entries it read; from the head, as {@link #open()}, when a segment is
   * gone since.
   */
  CompletableFuture<StrictState> open(StrictColdLookup.Seed seed) {
    StrictColdLookup.Checkpoint checkpoint = seed.checkpoint();
    StrictIndex index = checkpoint.index();
    CompletableFuture<@Nullable StrictState> base =
        index == null
            ? CompletableFuture.completedFuture(checkpoint.whole())
            : checkpoints.state(index, seed.segments());
    return base.thenCompose(
        state -> {
          if (state == null) {
            return open();
          }
          seed.entries().forEach(state::apply);
          return CompletableFuture.completedFuture(state);
        });
  }

  /** Checkpoint {@code n} for a cold lookup; null (warned) when missing or invalid. */
  CompletableFuture<StrictColdLookup.@Nullable Checkpoint> readCheckpoint(long n) {
    return checkpoints.readForLookup(n);
  }

  /** The log's keys listed after slot {@code n}. */
  CompletableFuture<List<ObjectMetadata>> listAfter(long n) {
    return store.listAll(bucket, layout.logPrefix(), layout.logKey(n));
  }

  /** The files of segment {@code name} named by index {@code seq}; null (warned) when unusable. */
  CompletableFuture<@Nullable List<StrictSegment.File>> segment(String name, long seq) {
    return checkpoints.segment(name, seq);
  }

  /** The state from a checkpoint on; null when an entry listed was gone when read. */
  private CompletableFuture<@Nullable StrictState> openFrom(long checkpoint, boolean mayFallBack) {
    CompletableFuture<List<ObjectMetadata>> listing =
        store.listAll(bucket, layout.logPrefix(), layout.logKey(checkpoint));
    CompletableFuture<List<@Nullable StrictEntry>> entries =
        listing.thenCompose(listed -> readAll(contiguous(checkpoint, listed)));
    return checkpoints
        .read(checkpoint)
        .thenCompose(
            state ->
                state.tip() == checkpoint
                    ? listing.thenCompose(listed -> follow(state, listed, entries, mayFallBack))
                    : store // an older checkpoint than the one listed after: list again
                        .listAll(bucket, layout.logPrefix(), layout.logKey(state.tip()))
                        .thenCompose(
                            listed ->
                                follow(
                                    state,
                                    listed,
                                    readAll(contiguous(state.tip(), listed)),
                                    mayFallBack)));
  }

  private CompletableFuture<@Nullable StrictState> follow(
      StrictState state,
      List<ObjectMetadata> listed,
      CompletableFuture<List<@Nullable StrictEntry>> entries,
      boolean mayFallBack) {
    if (contiguous(state.tip(), listed).isEmpty() && hasSlotAfter(state.tip(), listed)) {
      if (!mayFallBack) {
        throw new IllegalStateException(
            "the log of manifest "
                + layout.manifest()
                + " has no entry "
                + (state.tip() + 1)
                + " after its newest checkpoint");
      }
      return checkpoints.newest(Long.MAX_VALUE).thenCompose(n -> openFrom(n, false));
    }
    return entries.thenApply(read -> applyAll(state, read));
  }

  /** The slots listed right after {@code tip} with no gap. */
  List<Long> contiguous(long tip, List<ObjectMetadata> listed) {
    List<Long> slots = new ArrayList<>();
    long next = tip + 1;
    for (ObjectMetadata m : listed) {
      Long n = StrictLayout.number(layout.logPrefix(), m.key());
      if (n == null) {
        continue; // not an entry key: someone else's object under the prefix
      }
      if (n != next) {
        break;
      }
      slots.add(n);
      next++;
    }
    return slots;
  }

  boolean hasSlotAfter(long tip, List<ObjectMetadata> listed) {
    for (ObjectMetadata m : listed) {
      Long n = StrictLayout.number(layout.logPrefix(), m.key());
      if (n != null && n > tip) {
        return true;
      }
    }
    return false;
  }

  CompletableFuture<List<@Nullable StrictEntry>> readAll(List<Long> slots) {
    List<@Nullable StrictEntry> out = new ArrayList<>();
    CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
    for (int from = 0; from < slots.size(); from += PARALLEL_READS) {
      List<Long> window = slots.subList(from, Math.min(slots.size(), from + PARALLEL_READS));
      done =
          done.thenCompose(
              ignored -> {
                List<CompletableFuture<@Nullable StrictEntry>> reads = new ArrayList<>();
                window.forEach(n -> reads.add(read(n)));
                return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]))
                    .thenRun(() -> reads.forEach(r -> out.add(r.join())));
              });
    }
    return done.thenApply(ignored -> out);
  }

  /** The state with the entries applied; null when one was listed, then gone: cleaned up. */
  private static @Nullable StrictState applyAll(
      StrictState state, List<@Nullable StrictEntry> entries) {
    for (StrictEntry entry : entries) {
      if (entry == null) {
        return null; // reading on from the slot before it would take a deleted slot for the end
      }
      state.apply(entry);
    }
    return state;
  }

  /**
   * Reads slot {@code n}: null when it is empty; an empty entry (with a warning) when it holds
   * something that is not an entry, since a slot, once written, is part of the order for good.
   */
  public CompletableFuture<@Nullable StrictEntry> read(long n) {
    String key = layout.logKey(n);
    return failsLater(() -> store.get(bucket, key))
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return null;
              }
              Parsed<StrictEntry> entry = StrictEntry.parse(key, n, found.object().body());
              if (entry instanceof Parsed.Invalid<StrictEntry> invalid) {
                warnings.skipped(
                    key, "not a log entry (" + invalid.reason() + "); counted as empty");
                return StrictEntry.empty(n);
              }
              return ((Parsed.Valid<StrictEntry>) entry).value();
            });
  }

  /** Tries to create the entry's slot: {@code If-None-Match: *}. */
  public CompletableFuture<PutOutcome> create(StrictEntry entry) {
    return failsLater(
        () ->
            store.put(
                bucket,
                layout.logKey(entry.seq()),
                entry.toBytes(),
                PutOptions.ifAbsent().withContentType(PutOptions.JSON)));
  }

  /**
   * The call's future, or a failed one when it throws (a store rejects an invalid key at once):
   * these are called from completion callbacks, where a throw would be lost and the caller hang.
   */
  private static <T> CompletableFuture<T> failsLater(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Writes a checkpoint: its new segments, its index, then the head (design 0016). */
  CompletableFuture<Void> checkpoint(StrictCheckpointPlan plan) {
    return checkpoints.write(plan);
  }

  /** The index checkpoint {@code n} holds; null when it is missing, unreadable or a whole state. */
  CompletableFuture<@Nullable StrictIndex> readIndex(long n) {
    return checkpoints.readIndex(n);
  }

  /** The op of slot {@code n}'s entry as a checkpoint remembers it; null when none does. */
  CompletableFuture<@Nullable String> opOf(long n) {
    return checkpoints.opOf(n);
  }

  /** Deletes the segments no checkpoint names that were written before {@code cutoff}. */
  CompletableFuture<Void> deleteUnnamedSegments(Instant cutoff) {
    return checkpoints.deleteUnnamedSegments(cutoff);
  }

  /**
   * Deletes the entries of slots {@code from} to {@code to} and the checkpoint of {@code from - 1}:
   * what no reader needs once the checkpoint of {@code to} exists (PROTOCOL.md, cleaning up).
   */
  public CompletableFuture<Void> deleteBefore(long from, long to) {
    List<CompletableFuture<Void>> deletes = new ArrayList<>();
    for (long n = Math.max(1, from); n <= to; n++) {
      deletes.add(store.delete(bucket, layout.logKey(n)));
    }
    if (from > 1) {
      deletes.add(store.delete(bucket, layout.checkpointKey(from - 1)));
    }
    return CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0]));
  }

  /** Deletes an object of the bucket (a content object no state refers to any more). */
  public CompletableFuture<Void> deleteObject(String key) {
    return store.delete(bucket, key);
  }

  /** The checkpoint the head names; 0 when there is none (or it is unreadable). */
  public CompletableFuture<Long> readHead() {
    return failsLater(() -> store.get(bucket, layout.headKey()))
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return 0L;
              }
              // A head is only a hint: anything but a slot number in range reads from the start.
              Parsed<Long> head = StrictHead.parse(layout.headKey(), found.object().body());
              if (head instanceof Parsed.Valid<Long> valid) {
                return valid.value();
              }
              warnings.skipped(layout.headKey(), "not a head hint; reading from the first entry");
              return 0L;
            });
  }
}
