package io.mps3.internal.causal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.content.ExactJson;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The body of a causal log entry: {@code files}, the writer's view of the whole map before the
 * entry (with any fields it did not know kept beside it), and {@code update}, the merge patch the
 * entry applies. The state is the body without {@code update}.
 */
public final class CausalEntry {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads bodies: an entry has one field name per file URL, each seen once, so canonicalizing (and
   * interning) field names costs more than the rest of the parse (a 10,000-key entry parsed 3 to 4
   * times faster without) and saves nothing. Same JSON accepted, same trees. Numbers exactly as
   * written (ExactJson): a writer carries the base's state into its own entry.
   */
  private static final ObjectMapper BODY_JSON =
      ExactJson.exact(
              JsonMapper.builder(
                  JsonFactory.builder()
                      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                      .build()))
          .build();

  private final ObjectNode state;
  private final ObjectNode update;

  private CausalEntry(ObjectNode state, ObjectNode update) {
    this.state = state;
    this.update = update;
  }

  /** An entry carrying the writer's view {@code state} and applying {@code update}. */
  public static CausalEntry of(ObjectNode state, ObjectNode update) {
    return new CausalEntry(state, update);
  }

  /** The empty state: no files. */
  public static ObjectNode emptyState() {
    ObjectNode state = JSON.createObjectNode();
    state.putObject("files");
    return state;
  }

  /**
   * Reads the body of entry {@code key}: invalid when it is not JSON, or not an object whose {@code
   * files} and {@code update} (when present) are objects, or whose update sets {@code files} to
   * anything but an object or null. Such an update would make every later state's {@code files} a
   * non-object, and this client would write that forward into entries no reader accepts.
   */
  public static Parsed<CausalEntry> parse(String key, byte[] body) {
    return BucketJson.readObject(BODY_JSON, key, body).then(root -> entry(key, (ObjectNode) root));
  }

  /**
   * The {@code update} of entry {@code key}'s body, as {@code parse(key, body)} gives it: valid for
   * the same bodies, invalid with the same reason. For an entry that is not the base, whose {@code
   * files} the replay never reads: those are checked token by token (an object, valid JSON) without
   * building their tree. Anything unusual (not an object, a field twice, {@code files} no object,
   * an error) is left to {@link #parse}, which names the reason.
   */
  public static Parsed<ObjectNode> parseUpdate(String key, byte[] body) {
    ObjectNode update = streamedUpdate(body);
    return update != null
        ? Parsed.valid(update)
        : parse(key, body).then(entry -> Parsed.valid(entry.update()));
  }

  private static @Nullable ObjectNode streamedUpdate(byte[] body) {
    try (JsonParser parser = BODY_JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonNode update = null;
      boolean files = false;
      for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals("update")) {
          if (update != null) {
            return null;
          }
          update =
              value == JsonToken.VALUE_NULL ? NullNode.getInstance() : BODY_JSON.readTree(parser);
        } else {
          if (name.equals("files")) {
            if (files || value != JsonToken.START_OBJECT) {
              return null;
            }
            files = true;
          }
          skipValue(parser); // every token is still read and checked
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
      if (update == null || update.isNull()) {
        return JSON.createObjectNode();
      }
      JsonNode patched = update.get("files");
      return update.isObject() && (patched == null || patched.isObject() || patched.isNull())
          ? (ObjectNode) update
          : null;
    } catch (IOException | RuntimeException e) {
      return null; // parse names the reason
    }
  }

  /**
   * Skips the value the parser is at, as {@code skipChildren} does (every token still read and
   * checked), and converts each fraction or exponent as the tree parse does ({@code BigDecimal}),
   * so that a number it refuses (an exponent past an int's range) is refused here too.
   */
  private static void skipValue(JsonParser parser) throws IOException {
    int depth = 0;
    for (JsonToken t = parser.currentToken(); t != null; t = parser.nextToken()) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        depth++;
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        depth--;
      } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
        parser.getDecimalValue();
      }
      if (depth == 0) {
        return;
      }
    }
  }

  private static Parsed<CausalEntry> entry(String key, ObjectNode root) {
    ObjectNode state = root; // freshly parsed: ours to take apart, no copy needed
    JsonNode update = state.remove("update");
    JsonNode files = state.get("files");
    if (files == null) {
      state.putObject("files");
    } else if (!files.isObject()) {
      return Parsed.invalid(key, "\"files\" is " + BucketJson.kind(files) + ", not an object");
    }
    if (update == null || update.isNull()) {
      return Parsed.valid(new CausalEntry(state, JSON.createObjectNode()));
    }
    if (!update.isObject()) {
      return Parsed.invalid(key, "\"update\" is " + BucketJson.kind(update) + ", not an object");
    }
    JsonNode patched = update.get("files");
    if (patched != null && !patched.isObject() && !patched.isNull()) {
      return Parsed.invalid(
          key, "\"update.files\" is " + BucketJson.kind(patched) + ", not an object");
    }
    return Parsed.valid(new CausalEntry(state, (ObjectNode) update));
  }

  /** The writer's view before this entry: {@code {"files": {...}, ...}}. */
  public ObjectNode state() {
    return state;
  }

  /** The merge patch this entry applies to a state. */
  public ObjectNode update() {
    return update;
  }

  /** The body: the state's fields and {@code update}, as compact JSON. */
  public byte[] encode() {
    ObjectNode body = state.deepCopy();
    body.set("update", update);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
