package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The state of a strict manifest after slot {@link #tip()}: the live slot of every file URL. Not
 * thread-safe: its owner guards it.
 */
public final class StrictState {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How many deletions are remembered for the next delta before rebasing instead. */
  private static final int FORGET_DELETIONS_PAST = 10_000;

  private long tip;
  private final TreeMap<String, StrictSlot> files = new TreeMap<>();

  /**
   * The segmented checkpoint this state continues from (design 0016), or null: the next checkpoint
   * writes its changes as a delta on top of it instead of a whole new base.
   */
  private @Nullable StrictIndex index;

  /** Files deleted after {@link #horizon}, with the slot that deleted them (or a later one). */
  private final TreeMap<String, Long> deleted = new TreeMap<>();

  /** Deletions after this slot are all in {@link #deleted}. */
  private long horizon;

  /**
   * The {@code op} of each of the last slots, up to the tip with no gap: what the next checkpoint
   * remembers of them (design 0020), and what a writer whose slot was cleaned up learns from.
   */
  private final TreeMap<Long, String> ops = new TreeMap<>();

  /** How many of the last slots' ops are kept (a checkpoint interval's worth suffices). */
  private int opsKept = 1000;

  /** The empty state, before slot 1. */
  public StrictState() {}

  /** The last slot applied. */
  public long tip() {
    return tip;
  }

  /** The slot of a file URL; null when absent. */
  public @Nullable StrictSlot slot(String url) {
    return files.get(url);
  }

  /** The version of a file URL for compare-and-set: its slot number, or 0 when absent. */
  public long version(String url) {
    StrictSlot slot = files.get(url);
    return slot == null ? 0 : slot.seq();
  }

  /** Every live file URL and its slot, sorted. */
  public NavigableMap<String, StrictSlot> files() {
    return Collections.unmodifiableNavigableMap(files);
  }

  /**
   * Applies the entry of slot {@link #tip()} + 1.
   *
   * @throws IllegalArgumentException when it is another slot
   */
  public void apply(StrictEntry entry) {
    if (entry.seq() != tip + 1) {
      throw new IllegalArgumentException("slot " + entry.seq() + " applied after slot " + tip);
    }
    entry
        .files()
        .forEach(
            (url, slot) -> {
              if (slot == null) {
                files.remove(url);
                deleted.put(url, entry.seq());
              } else {
                files.put(url, slot);
                deleted.remove(url);
              }
            });
    tip = entry.seq();
    ops.put(tip, entry.op());
    ops.headMap(tip - opsKept, true).clear();
    if (deleted.size() > Math.max(FORGET_DELETIONS_PAST, files.size())) {
      // A reader that never writes a checkpoint would keep them forever: forget them, and let
      // this client's next checkpoint start a new base instead of a delta.
      deleted.clear();
      index = null;
      horizon = tip;
    }
  }

  /** A copy, to plan a checkpoint outside the owner's lock. */
  StrictState copy() {
    StrictState out = new StrictState();
    out.tip = tip;
    out.files.putAll(files);
    out.deleted.putAll(deleted);
    out.index = index;
    out.horizon = horizon;
    out.ops.putAll(ops);
    out.opsKept = opsKept;
    return out;
  }

  /** Keeps the ops of the last {@code count} slots only (at least 1). */
  void keepOps(int count) {
    opsKept = Math.max(1, count);
    ops.headMap(tip - opsKept, true).clear();
  }

  /** The op of the entry of slot {@code n}, when this state remembers it; else null. */
  @Nullable String op(long n) {
    return ops.get(n);
  }

  /** The ops of the last slots up to the tip, at most {@code count}, the tip's last. */
  List<String> lastOps(long count) {
    return new ArrayList<>(ops.tailMap(tip - count, false).values());
  }

  /** The segmented checkpoint this state continues from; null when none is known. */
  @Nullable StrictIndex index() {
    return index;
  }

  /** The slot after which every deletion is known (see {@link #changedAfter}). */
  long horizon() {
    return horizon;
  }

  /**
   * Records that checkpoint {@code written} holds this state as of its slot (it was written, or
   * read): later checkpoints build on it. Deletions its base covers are forgotten.
   */
  void continueFrom(StrictIndex written) {
    if (index != null && index.seq() >= written.seq()) {
      return;
    }
    if (written.base().to() < horizon) {
      return; // its deltas may need deletions this state has forgotten: rebase instead
    }
    index = written;
    horizon = written.base().to();
    long base = horizon;
    deleted.values().removeIf(seq -> seq <= base);
  }

  /**
   * Every file changed after slot {@code after}, sorted, with null for those deleted since.
   *
   * @throws IllegalArgumentException when deletions that far back are no longer known
   */
  List<StrictSegment.File> changedAfter(long after) {
    if (after < horizon) {
      throw new IllegalArgumentException("deletions after slot " + after + " are not known");
    }
    TreeMap<String, StrictSegment.File> out = new TreeMap<>();
    files.forEach(
        (url, slot) -> {
          if (slot.seq() > after) {
            out.put(url, new StrictSegment.File(url, slot));
          }
        });
    deleted.forEach(
        (url, seq) -> {
          if (seq > after && !files.containsKey(url)) {
            out.put(url, new StrictSegment.File(url, null));
          }
        });
    return new ArrayList<>(out.values());
  }

  /** Every live file, sorted. */
  List<StrictSegment.File> allFiles() {
    List<StrictSegment.File> out = new ArrayList<>(files.size());
    files.forEach((url, slot) -> out.add(new StrictSegment.File(url, slot)));
    return out;
  }

  /**
   * The state an index describes, given the files of its runs in the index's order: the base, then
   * each delta overlaid, oldest first.
   */
  static StrictState fromRuns(StrictIndex index, List<List<StrictSegment.File>> runs) {
    StrictState state = new StrictState();
    List<StrictIndex.Run> described = index.runs();
    for (int i = 0; i < runs.size(); i++) {
      long to = described.get(i).to();
      for (StrictSegment.File file : runs.get(i)) {
        StrictSlot slot = file.slot();
        if (slot == null) {
          state.files.remove(file.url());
          state.deleted.put(file.url(), to);
        } else {
          state.files.put(file.url(), slot);
          state.deleted.remove(file.url());
        }
      }
    }
    state.tip = index.seq();
    state.horizon = index.base().to();
    state.index = index;
    List<String> known = index.ops();
    for (int i = 0; i < known.size(); i++) {
      state.ops.put(index.seq() - known.size() + 1 + i, known.get(i));
    }
    return state;
  }

  /** The checkpoint body of this state: deterministic (sorted), so a repeated write is harmless. */
  public byte[] toCheckpoint() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("seq", tip);
    ObjectNode out = root.putObject("files");
    files.forEach(
        (url, slot) -> {
          ObjectNode file = out.putObject(url);
          slot.writeTo(file);
          file.put("seq", slot.seq());
        });
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("a checkpoint could not be serialised", e);
    }
  }

  /**
   * The state checkpoint {@code key} holds; invalid, naming what is wrong, when it is not the
   * checkpoint of {@code seq}.
   */
  public static Parsed<StrictState> fromCheckpoint(String key, long seq, byte[] body) {
    return BucketJson.readObject(key, body).then(root -> checkpoint(key, seq, root));
  }

  /**
   * Whether {@code body} is a checkpoint of slot {@code seq} in either format: a whole state, or an
   * index of segments (design 0016; its segments are not read). Invalid, naming what is wrong.
   */
  public static Parsed<?> checkCheckpoint(String key, long seq, byte[] body) {
    Parsed<JsonNode> root = BucketJson.readObject(key, body);
    if (root instanceof Parsed.Valid<JsonNode> valid && StrictIndex.isIndex(valid.value())) {
      return StrictIndex.parse(key, seq, valid.value());
    }
    return root.then(r -> checkpoint(key, seq, r));
  }

  /**
   * A checkpoint segment {@code M/segment/<name>} as a reader checks it (design 0016: its body
   * hashes to its name and holds valid file records), or null when {@code name} is not a segment
   * name, a key no reader asks for.
   */
  public static @Nullable Parsed<?> checkSegment(String key, String name, byte[] body) {
    return StrictSegment.isName(name) ? StrictSegment.parse(key, name, Long.MAX_VALUE, body) : null;
  }

  private static Parsed<StrictState> checkpoint(String key, long seq, JsonNode root) {
    JsonNode stated = root.path("seq");
    if (!stated.isIntegralNumber() || stated.asLong(-1) != seq || !root.path("files").isObject()) {
      return Parsed.invalid(key, "not the checkpoint of slot " + seq);
    }
    StrictState state = new StrictState();
    for (Map.Entry<String, JsonNode> file : root.get("files").properties()) {
      JsonNode at = file.getValue().path("seq");
      long written = at.isIntegralNumber() ? at.asLong(-1) : -1;
      if (written < 1 || written > seq) {
        return Parsed.invalid(key, "a file has no valid seq");
      }
      Parsed<StrictSlot> slot = StrictSlot.parse(key, written, file.getValue());
      if (slot instanceof Parsed.Invalid<StrictSlot> invalid) {
        return Parsed.invalid(key, invalid.reason());
      }
      state.files.put(file.getKey(), ((Parsed.Valid<StrictSlot>) slot).value());
    }
    state.tip = seq;
    state.horizon = seq;
    return Parsed.valid(state);
  }
}
