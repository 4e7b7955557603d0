package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One log entry (PROTOCOL.md B1): slot {@code seq}, written at {@code ts} by session {@code writer}
 * as operation {@code op}; {@code files} maps file URLs to their new slot, or to null for a delete;
 * {@code expect} records the versions the writer checked (0 for absent).
 */
public record StrictEntry(
    long seq,
    long ts,
    String writer,
    String op,
    Map<String, @Nullable StrictSlot> files,
    Map<String, Long> expect) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Copies the maps. */
  public StrictEntry {
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    expect = Collections.unmodifiableMap(new LinkedHashMap<>(expect));
  }

  /** An entry that changes nothing: what an unreadable slot counts as. */
  static StrictEntry empty(long seq) {
    return new StrictEntry(seq, 0, "", "", Map.of(), Map.of());
  }

  /** The JSON body of this entry. */
  public byte[] toBytes() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("seq", seq).put("ts", ts).put("writer", writer).put("op", op);
    ObjectNode out = root.putObject("files");
    files.forEach(
        (url, slot) -> {
          if (slot == null) {
            out.putNull(url);
          } else {
            slot.writeTo(out.putObject(url));
          }
        });
    if (!expect.isEmpty()) {
      ObjectNode expected = root.putObject("expect");
      expect.forEach(
          (url, version) -> {
            if (version == 0) {
              expected.putNull(url);
            } else {
              expected.put(url, Long.toString(version));
            }
          });
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("an entry could not be serialised", e);
    }
  }

  /**
   * Parses the body of slot {@code seq}.
   *
   * @throws IllegalArgumentException naming what is wrong when it is not an entry
   */
  public static StrictEntry parse(long seq, byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode stated = root.get("seq");
    if (stated == null || !stated.canConvertToLong() || stated.asLong() != seq) {
      throw new IllegalArgumentException("its seq is not " + seq);
    }
    JsonNode files = root.get("files");
    if (files == null || !files.isObject()) {
      throw new IllegalArgumentException("no files object");
    }
    Map<String, @Nullable StrictSlot> changes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> file : files.properties()) {
      changes.put(
          file.getKey(), file.getValue().isNull() ? null : StrictSlot.parse(seq, file.getValue()));
    }
    Map<String, Long> expected = new LinkedHashMap<>();
    JsonNode expect = root.get("expect");
    if (expect != null && expect.isObject()) {
      for (Map.Entry<String, JsonNode> e : expect.properties()) {
        expected.put(e.getKey(), e.getValue().isNull() ? 0L : e.getValue().asLong());
      }
    }
    return new StrictEntry(
        seq,
        root.path("ts").asLong(),
        root.path("writer").asText(),
        root.path("op").asText(),
        changes,
        expected);
  }
}
