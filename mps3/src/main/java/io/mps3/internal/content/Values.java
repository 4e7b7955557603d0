package io.mps3.internal.content;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.mps3.Absent;
import io.mps3.ErrorKind;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.spi.ObjectKeys;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The border between callers' values and the client's: every value that comes in is turned into a
 * tree of the client's own (a caller's {@code JsonNode} is copied), and every value that goes out
 * is a copy, so nothing a caller does to a value reaches the client's state or the bucket.
 */
public final class Values {

  private Values() {}

  /** Validates the keys and turns the values into JSON of our own (null for {@link Absent}). */
  public static Map<String, @Nullable JsonNode> in(Map<String, ?> values, ObjectMapper mapper) {
    Map<String, @Nullable JsonNode> nodes = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = ObjectKeys.requireValidKey(e.getKey());
      nodes.put(key, in(key, e.getValue(), mapper));
    }
    return nodes;
  }

  /**
   * The value of {@code key} as JSON of our own; null for {@link Absent#ABSENT}. Refused when
   * readers could not read it back ({@link ReadableJson}).
   */
  public static @Nullable JsonNode in(String key, @Nullable Object value, ObjectMapper mapper) {
    if (value == Absent.ABSENT) {
      return null;
    }
    if (value == null) {
      return NullNode.getInstance();
    }
    JsonNode node;
    if (value instanceof JsonNode jsonNode) {
      node = jsonNode.deepCopy(); // valueToTree may hand the caller's tree back
    } else {
      try {
        node = tree(value, mapper);
      } catch (IllegalArgumentException | IOException e) {
        throw new IllegalArgumentException(
            "a " + value.getClass().getName() + " cannot be written as JSON: " + e.getMessage(), e);
      }
    }
    try {
      ReadableJson.check(node);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("value of " + key + ": " + e.getMessage(), e);
    }
    return node;
  }

  /**
   * {@code value} as a tree, as {@code mapper.valueToTree} makes it but keeping each number as the
   * caller's type has it: with {@code USE_BIG_DECIMAL_FOR_FLOATS} (the default mapper reads the
   * bucket exactly, see {@link ExactJson}) a {@code float} 0.1f would become the BigDecimal of its
   * widened double, 0.10000000149011612. A BigDecimal stays a BigDecimal, a float a float.
   */
  private static JsonNode tree(Object value, ObjectMapper mapper) throws IOException {
    try (TokenBuffer tokens = new TokenBuffer(mapper, false)) {
      mapper.writeValue(tokens, value);
      try (JsonParser parser = tokens.asParser()) {
        JsonNode node =
            mapper
                .reader()
                .without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(parser);
        return node == null ? NullNode.getInstance() : node;
      }
    }
  }

  /** A value handed to a caller: a copy of ours. */
  public static Optional<JsonNode> out(Optional<JsonNode> value) {
    return value.map(JsonNode::deepCopy);
  }

  /** A value converted to a type for a caller; empty when absent or JSON null. */
  public static <T> Optional<T> as(
      Optional<JsonNode> value, Class<T> type, String key, ObjectMapper mapper) {
    if (value.isEmpty() || value.get().isNull()) {
      return Optional.empty();
    }
    try {
      // Converting to JsonNode (or a subtype) would return our tree itself: convert a copy.
      JsonNode source =
          JsonNode.class.isAssignableFrom(type) ? value.get().deepCopy() : value.get();
      return Optional.ofNullable(mapper.treeToValue(source, type));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Mps3Exception(
          ErrorKind.CORRUPT,
          "value of " + key + " is not a " + type.getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  /** The JSON bytes of each value to store as content (deletes have none). */
  public static Map<String, byte[]> contentOf(
      Map<String, @Nullable JsonNode> nodes, Mps3Config config) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    nodes.forEach(
        (key, node) -> {
          if (node != null) {
            bytes.put(key, bytesOf(key, node, config.objectMapper()));
          }
        });
    return bytes;
  }

  /** A value's JSON bytes. */
  public static byte[] bytesOf(String key, JsonNode node, ObjectMapper mapper) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value of " + key + " cannot be written as JSON", e);
    }
  }
}
