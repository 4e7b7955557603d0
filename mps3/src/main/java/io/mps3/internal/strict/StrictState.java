package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
   * The state a checkpoint body holds.
   *
   * @throws IllegalArgumentException naming what is wrong when it is not the checkpoint of {@code
   *     seq}
   */
  public static StrictState fromCheckpoint(long seq, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (root == null || root.path("seq").asLong(-1) != seq || !root.path("files").isObject()) {
      throw new IllegalArgumentException("not the checkpoint of slot " + seq);
    }
    StrictState state = new StrictState();
    for (Map.Entry<String, JsonNode> file : root.get("files").properties()) {
      long written = file.getValue().path("seq").asLong(-1);
      if (written < 1 || written > seq) {
        throw new IllegalArgumentException("file " + file.getKey() + " has no valid seq");
      }
      state.files.put(file.getKey(), StrictSlot.parse(written, file.getValue()));
    }
    state.tip = seq;
    return state;
  }
}
