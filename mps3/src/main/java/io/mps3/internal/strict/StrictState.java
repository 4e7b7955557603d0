package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import java.io.IOException;
import java.util.Collections;
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

  private long tip;
  private final TreeMap<String, StrictSlot> files = new TreeMap<>();

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
              } else {
                files.put(url, slot);
              }
            });
    tip = entry.seq();
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
    return Parsed.valid(state);
  }
}
