package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** JSON Merge Patch (RFC 7386). Never modifies its arguments. */
public final class JsonMergePatch {

  private JsonMergePatch() {}

  /** Applies {@code patch} to {@code target} and returns the result. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        JsonNode current = result.get(field.getKey());
        result.set(
            field.getKey(),
            apply(
                current == null ? JsonNodeFactory.instance.nullNode() : current, field.getValue()));
      }
    }
    return result;
  }

  /**
   * Applies the object patch {@code patch} to {@code target} in place: what a reader replaying many
   * patches does, copying the state once instead of once per patch. {@code target} and its
   * descendants must belong to the caller alone; {@code patch} is not modified, and no node of it
   * ends up in {@code target} (values are copied).
   */
  public static void applyInPlace(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode child) {
        applyInPlace(child, (ObjectNode) value);
      } else {
        target.set(field.getKey(), apply(JsonNodeFactory.instance.nullNode(), value));
      }
    }
  }
}
