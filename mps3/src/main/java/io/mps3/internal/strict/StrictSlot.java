package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import org.jspecify.annotations.Nullable;

/**
 * The value of one key as the log left it: written by slot {@code seq} (its version, for
 * compare-and-set), either inline ({@code value}) or as a content object ({@code version}).
 */
public record StrictSlot(long seq, @Nullable JsonNode value, @Nullable String contentVersion) {

  /** Checks that exactly one of value and content version is given. */
  public StrictSlot {
    if ((value == null) == (contentVersion == null)) {
      throw new IllegalArgumentException("a slot holds either a value or a content version");
    }
  }

  /** Writes this slot's value reference into {@code out}: {@code value} or {@code version}. */
  void writeTo(ObjectNode out) {
    if (value != null) {
      out.set("value", value);
    } else {
      out.put("version", contentVersion);
    }
  }

  /**
   * The slot described by {@code node} ({@code {"value": v}} or {@code {"version": V}}) in object
   * {@code key}; invalid when it is neither.
   */
  static Parsed<StrictSlot> parse(String key, long seq, JsonNode node) {
    if (!node.isObject()) {
      return Parsed.invalid(key, "a file is " + BucketJson.kind(node) + ", not an object or null");
    }
    JsonNode value = node.get("value");
    JsonNode version = node.get("version");
    if (value != null && version == null) {
      return Parsed.valid(new StrictSlot(seq, value, null));
    }
    if (version != null && value == null && version.isTextual()) {
      return Parsed.valid(new StrictSlot(seq, null, version.asText()));
    }
    return Parsed.invalid(key, "a file needs exactly one of value and version (a string)");
  }
}
