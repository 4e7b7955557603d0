package io.mps3.internal.bucket;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.content.ExactJson;
import java.io.IOException;

/**
 * Reads JSON bodies of the bucket, none of which is trusted: every failure is an {@link
 * Parsed.Invalid} naming the object and the reason, never an exception. Jackson bounds what a body
 * can cost (nesting depth, number and string lengths: its {@code StreamReadConstraints} defaults),
 * so a hostile body fails fast instead of exhausting the stack or the heap. As {@code JSON.parse}
 * of the JavaScript client, an empty body or one with anything after its value is not JSON. Reasons
 * never quote the body (Jackson's messages do): a document body is never logged. Thread-safe.
 */
public final class BucketJson {

  // Numbers exactly as written: a strict checkpoint rewrites the values it reads (ExactJson).
  private static final ObjectMapper JSON =
      ExactJson.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private BucketJson() {}

  /** The JSON value of body {@code body} of object {@code key}. */
  public static Parsed<JsonNode> read(String key, byte[] body) {
    return read(JSON, key, body);
  }

  /** As {@link #read(String, byte[])}, with the caller's mapper (its number features). */
  public static Parsed<JsonNode> read(ObjectMapper mapper, String key, byte[] body) {
    try {
      JsonNode root =
          mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
      if (root == null || root.isMissingNode()) {
        return Parsed.invalid(key, "empty body, not JSON");
      }
      return Parsed.valid(root);
    } catch (StreamConstraintsException e) {
      return Parsed.invalid(key, "over a JSON limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      return Parsed.invalid(
          key,
          "not JSON"
              + (at == null ? "" : " (at byte " + at.getByteOffset() + ")")
              + ": "
              + e.getClass().getSimpleName());
    } catch (IOException e) {
      return Parsed.invalid(key, "not JSON: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      // Jackson's number and buffer code can throw unchecked exceptions on hostile input; a body
      // of the bucket is data, so that is one more way of not being JSON, never a client failure.
      return Parsed.invalid(key, "not JSON: " + e.getClass().getSimpleName());
    }
  }

  /** A JSON object, or invalid naming what the body is instead. */
  public static Parsed<JsonNode> readObject(String key, byte[] body) {
    return readObject(JSON, key, body);
  }

  /** As {@link #readObject(String, byte[])}, with the caller's mapper (its parser features). */
  public static Parsed<JsonNode> readObject(ObjectMapper mapper, String key, byte[] body) {
    return read(mapper, key, body)
        .then(
            root ->
                root.isObject()
                    ? Parsed.valid(root)
                    : Parsed.invalid(key, "not a JSON object but " + kind(root)));
  }

  /** The kind of a JSON node, for reasons: "a string", "an array", ... */
  public static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
