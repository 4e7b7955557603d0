package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
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
   * Parses the body of slot {@code seq}, object {@code key}: invalid, naming what is wrong, when it
   * is not that slot's entry.
   */
  public static Parsed<StrictEntry> parse(String key, long seq, byte[] body) {
    return BucketJson.readObject(key, body).then(root -> entry(key, seq, root));
  }

  private static Parsed<StrictEntry> entry(String key, long seq, JsonNode root) {
    JsonNode stated = root.get("seq");
    if (stated == null
        || !stated.isIntegralNumber()
        || !stated.canConvertToLong()
        || stated.asLong() != seq) {
      return Parsed.invalid(key, "its seq is not " + seq);
    }
    JsonNode files = root.get("files");
    if (files == null || !files.isObject()) {
      return Parsed.invalid(key, "no files object");
    }
    Map<String, @Nullable StrictSlot> changes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> file : files.properties()) {
      if (file.getValue().isNull()) {
        changes.put(file.getKey(), null);
        continue;
      }
      Parsed<StrictSlot> slot = StrictSlot.parse(key, seq, file.getValue());
      if (slot instanceof Parsed.Invalid<StrictSlot> invalid) {
        return Parsed.invalid(key, invalid.reason());
      }
      changes.put(file.getKey(), ((Parsed.Valid<StrictSlot>) slot).value());
    }
    // expect is informational (the writer's preconditions): unreadable values count as absent.
    Map<String, Long> expected = new LinkedHashMap<>();
    JsonNode expect = root.get("expect");
    if (expect != null && expect.isObject()) {
      for (Map.Entry<String, JsonNode> e : expect.properties()) {
        expected.put(e.getKey(), e.getValue().isNull() ? 0L : e.getValue().asLong());
      }
    }
    return Parsed.valid(
        new StrictEntry(
            seq,
            root.path("ts").asLong(),
            root.path("writer").asText(),
            root.path("op").asText(),
            changes,
            expected));
  }
}
