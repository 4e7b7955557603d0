package io.mps3.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** JSON in and out of the command. */
final class Json {

  /**
   * Reads numbers exactly as written, as the library's default mapper does: a {@code double} would
   * turn {@code 1e400} into {@code "Infinity"} and drop digits past the 17th of what a user puts.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  private Json() {}

  /** Parses user input, naming where it is wrong. */
  static JsonNode parse(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new UsageException(
            what + " is empty; give a JSON document such as '\"text\"' or '{\"a\":1}'");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new UsageException("invalid JSON in " + what + where + ": " + e.getOriginalMessage());
    }
  }

  /** One compact line. */
  static String line(JsonNode node) {
    return node.toString();
  }

  /** {@code {"key": k, "value": v}}, or {@code {"key": k, "deleted": true}} when v is null. */
  static String change(String key, @Nullable JsonNode value) {
    ObjectNode out = MAPPER.createObjectNode().put("key", key);
    if (value == null) {
      out.put("deleted", true);
    } else {
      out.set("value", value);
    }
    return out.toString();
  }

  /** A key as a JSON string (keys may hold any character, newlines included). */
  static String key(String key) {
    return MAPPER.getNodeFactory().textNode(key).toString();
  }
}
