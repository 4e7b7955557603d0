package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.bucket.SkipLog;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The checkpoints of one strict manifest in the store: reads both formats (a whole state, PROTOCOL
 * B1, or an index of segments, design 0016), writes indexes and their segments, and deletes the
 * segments no checkpoint names any more. Thread-safe.
 */
final class StrictCheckpoints {

  private final ObjectStore store;
  private final String bucket;
  private final StrictLayout layout;
  private final SkipLog warnings;

  StrictCheckpoints(ObjectStore store, String bucket, StrictLayout layout, SkipLog warnings) {
    this.store = store;
    this.bucket = bucket;
    this.layout = layout;
    this.warnings = warnings;
  }

  /**
   * The state of checkpoint {@code n} (empty for 0); when it is missing or unusable (or a segment
   * it names is), the newest older checkpoint listed, with a warning.
   */
  CompletableFuture<StrictState> read(long n) {
    if (n == 0) {
      return CompletableFuture.completedFuture(new StrictState());
    }
    String key = layout.checkpointKey(n);
    return store
        .get(bucket, key)
        .thenCompose(
            result ->
                result instanceof GetResult.Found found
                    ? parse(key, n, found.object().body())
                    : CompletableFuture.<@Nullable StrictState>completedFuture(null))
        .thenCompose(
            state ->
                state != null
                    ? CompletableFuture.completedFuture(state)
                    : newest(n).thenCompose(this::read));
  }

  private CompletableFuture<@Nullable StrictState> parse(String key, long n, byte[] body) {
    Parsed<JsonNode> root = BucketJson.readObject(key, body);
    if (root instanceof Parsed.Valid<JsonNode> valid && StrictIndex.isIndex(valid.value())) {
      Parsed<StrictIndex> index = StrictIndex.parse(key, n, valid.value());
      if (index instanceof Parsed.Valid<StrictIndex> parsed) {
        return segments(parsed.value());
      }
      warnings.invalid((Parsed.Invalid<StrictIndex>) index);
      return CompletableFuture.completedFuture(null);
    }
    Parsed<StrictState> state = StrictState.fromCheckpoint(key, n, body);
    if (state instanceof Parsed.Valid<StrictState> valid) {
      return CompletableFuture.completedFuture(valid.value());
    }
    warnings.invalid((Parsed.Invalid<StrictState>) state);
    return CompletableFuture.completedFuture(null);
  }

  /** Reads every segment of the index in parallel; null (with a warning) when one is unusable. */
  private CompletableFuture<@Nullable StrictState> segments(StrictIndex index) {
    return state(index, Map.of());
  }

  /**
   * The state of an index, reading in parallel every segment it names but those {@code known}
   * already (by name); null (with a warning) when one is unusable.
   */
  CompletableFuture<@Nullable StrictState> state(
      StrictIndex index, Map<String, List<StrictSegment.File>> known) {
    List<CompletableFuture<@Nullable List<StrictSegment.File>>> reads = new ArrayList<>();
    for (StrictIndex.Run run : index.runs()) {
      for (StrictIndex.Ref ref : run.segments()) {
        List<StrictSegment.File> files = known.get(ref.segment());
        reads.add(
            files != null
                ? CompletableFuture.completedFuture(files)
                : segment(ref.segment(), index.seq()));
      }
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<List<StrictSegment.File>> files = new ArrayList<>();
              int at = 0;
              for (StrictIndex.Run run : index.runs()) {
                List<StrictSegment.File> ofRun = new ArrayList<>();
                for (int i = 0; i < run.segments().size(); i++) {
                  List<StrictSegment.File> segment = reads.get(at++).join();
                  if (segment == null) {
                    return null;
                  }
                  ofRun.addAll(segment);
                }
                files.add(ofRun);
              }
              return StrictState.fromRuns(index, files);
            });
  }

  CompletableFuture<@Nullable List<StrictSegment.File>> segment(String name, long seq) {
    String key = layout.segmentKey(name);
    return store
        .get(bucket, key)
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                warnings.skipped(key, "a checkpoint names this segment, which is missing");
                return null;
              }
              Parsed<List<StrictSegment.File>> files =
                  StrictSegment.parse(key, name, seq, found.object().body());
              if (files instanceof Parsed.Valid<List<StrictSegment.File>> valid) {
                return valid.value();
              }
              warnings.invalid((Parsed.Invalid<List<StrictSegment.File>>) files);
              return null;
            });
  }

  /**
   * Checkpoint {@code n} as a cold lookup reads it (design 0022): its index unread, or the whole
   * state of an older client's; null (with a warning when invalid) when missing or invalid.
   */
  CompletableFuture<StrictColdLookup.@Nullable Checkpoint> readForLookup(long n) {
    String key = layout.checkpointKey(n);
    return store
        .get(bucket, key)
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return null;
              }
              byte[] body = found.object().body();
              Parsed<JsonNode> root = BucketJson.readObject(key, body);
              if (root instanceof Parsed.Valid<JsonNode> valid
                  && StrictIndex.isIndex(valid.value())) {
                Parsed<StrictIndex> index = StrictIndex.parse(key, n, valid.value());
                if (index instanceof Parsed.Valid<StrictIndex> parsed) {
                  return new StrictColdLookup.Checkpoint(n, parsed.value(), null);
                }
                warnings.invalid((Parsed.Invalid<StrictIndex>) index);
                return null;
              }
              Parsed<StrictState> whole = StrictState.fromCheckpoint(key, n, body);
              if (whole instanceof Parsed.Valid<StrictState> parsed) {
                return new StrictColdLookup.Checkpoint(n, null, parsed.value());
              }
              warnings.invalid((Parsed.Invalid<StrictState>) whole);
              return null;
            });
  }

  /** The index checkpoint {@code n} holds; null when it is missing, unreadable or a whole state. */
  CompletableFuture<@Nullable StrictIndex> readIndex(long n) {
    String key = layout.checkpointKey(n);
    return store
        .get(bucket, key)
        .<@Nullable StrictIndex>thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return null;
              }
              Parsed<JsonNode> root = BucketJson.readObject(key, found.object().body());
              if (root instanceof Parsed.Valid<JsonNode> valid
                  && StrictIndex.isIndex(valid.value())
                  && StrictIndex.parse(key, n, valid.value())
                      instanceof Parsed.Valid<StrictIndex> index) {
                return index.value();
              }
              return null;
            })
        .exceptionally(e -> null); // a new base instead: costlier, never wrong
  }

  /**
   * The {@code op} of slot {@code n}'s entry as the first checkpoint listed from {@code n} on
   * remembers it (design 0020); null when that checkpoint does not (or none is listed). Fails when
   * the store does: a failure tells nothing.
   */
  CompletableFuture<@Nullable String> opOf(long n) {
    return store
        .listAll(bucket, layout.checkpointPrefix(), layout.checkpointKey(n - 1))
        .thenCompose(
            listed -> {
              long first = Long.MAX_VALUE;
              for (ObjectMetadata m : listed) {
                Long c = StrictLayout.number(layout.checkpointPrefix(), m.key());
                if (c != null && c >= n) {
                  first = Math.min(first, c);
                }
              }
              if (first == Long.MAX_VALUE) {
                return CompletableFuture.<@Nullable String>completedFuture(null);
              }
              long c = first;
              String key = layout.checkpointKey(c);
              return store
                  .get(bucket, key)
                  .<@Nullable String>thenApply(
                      result ->
                          result instanceof GetResult.Found found
                                  && BucketJson.readObject(key, found.object().body())
                                      instanceof Parsed.Valid<JsonNode> root
                                  && StrictIndex.isIndex(root.value())
                                  && StrictIndex.parse(key, c, root.value())
                                      instanceof Parsed.Valid<StrictIndex> index
                              ? index.value().op(n)
                              : null);
            });
  }

  /** The newest checkpoint listed before {@code before}, or 0. */
  CompletableFuture<Long> newest(long before) {
    return store
        .listAll(bucket, layout.checkpointPrefix(), null)
        .thenApply(
            listed -> {
              long newest = 0;
              for (ObjectMetadata m : listed) {
                Long n = StrictLayout.number(layout.checkpointPrefix(), m.key());
                if (n != null && n < before) {
                  newest = Math.max(newest, n);
                }
              }
              return newest;
            });
  }

  /** Writes the plan's new segments (in parallel), then its index, then points the head at it. */
  CompletableFuture<Void> write(StrictCheckpointPlan plan) {
    PutOptions json = PutOptions.unconditional().withContentType(PutOptions.JSON);
    long n = plan.index().seq();
    byte[] head = ("{\"checkpoint\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    List<CompletableFuture<?>> segments = new ArrayList<>();
    PutOptions gzip = PutOptions.unconditional().withContentType("application/gzip");
    for (StrictSegment.Built s : plan.segments()) {
      segments.add(store.put(bucket, layout.segmentKey(s.name()), s.body(), gzip));
    }
    return CompletableFuture.allOf(segments.toArray(new CompletableFuture<?>[0]))
        .thenCompose(
            ignored -> store.put(bucket, layout.checkpointKey(n), plan.index().toBytes(), json))
        .thenCompose(ignored -> store.put(bucket, layout.headKey(), head, json))
        .thenApply(ignored -> null);
  }

  /**
   * Deletes every segment that no listed checkpoint names and that was written before {@code
   * cutoff} (a writer writes its segments before its index). Deletes nothing when a checkpoint
   * cannot be read: it might name any of them.
   */
  CompletableFuture<Void> deleteUnnamedSegments(Instant cutoff) {
    return store
        .listAll(bucket, layout.checkpointPrefix(), null)
        .thenCompose(
            listed -> {
              List<CompletableFuture<Set<String>>> names = new ArrayList<>();
              for (ObjectMetadata m : listed) {
                Long n = StrictLayout.number(layout.checkpointPrefix(), m.key());
                if (n != null) {
                  names.add(namedBy(m.key(), n));
                }
              }
              return CompletableFuture.allOf(names.toArray(new CompletableFuture<?>[0]))
                  .thenApply(
                      ignored -> {
                        Set<String> all = new HashSet<>();
                        names.forEach(f -> all.addAll(f.join()));
                        return all;
                      });
            })
        .thenCompose(
            named ->
                store
                    .listAll(bucket, layout.segmentPrefix(), null)
                    .thenCompose(
                        segments -> {
                          List<CompletableFuture<Void>> deletes = new ArrayList<>();
                          for (ObjectMetadata m : segments) {
                            String name = m.key().substring(layout.segmentPrefix().length());
                            if (StrictSegment.isName(name)
                                && !named.contains(name)
                                && m.lastModified().isBefore(cutoff)) {
                              deletes.add(store.delete(bucket, m.key()));
                            }
                          }
                          return CompletableFuture.allOf(
                              deletes.toArray(new CompletableFuture<?>[0]));
                        }));
  }

  /** The segments checkpoint {@code key} names: none for a whole state; fails when unreadable. */
  private CompletableFuture<Set<String>> namedBy(String key, long n) {
    return store
        .get(bucket, key)
        .thenApply(
            result -> {
              if (!(result instanceof GetResult.Found found)) {
                return Set.of(); // deleted since the listing: it names nothing any more
              }
              Parsed<JsonNode> root = BucketJson.readObject(key, found.object().body());
              if (root instanceof Parsed.Valid<JsonNode> valid
                  && StrictIndex.isIndex(valid.value())) {
                Parsed<StrictIndex> index = StrictIndex.parse(key, n, valid.value());
                if (index instanceof Parsed.Valid<StrictIndex> parsed) {
                  return parsed.value().names();
                }
                throw new IllegalStateException(
                    "checkpoint " + key + " is an index that cannot be read; no segment deleted");
              }
              return Set.of();
            });
  }
}
