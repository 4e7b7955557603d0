package io.mps3.internal.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The body of a causal log entry: {@code files}, the writer's view of the whole map before the
 * entry (with any fields it did not know kept beside it), and {@code update}, the merge patch the
 * entry applies. The state is the body without {@code update}.
 */
public final class CausalEntry {

  /** A body that is not a causal entry. */
  public static final class MalformedEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEntryException(String message, Throwable cause) {
      super(message, cause);
    }

    MalformedEntryException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

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
   * Reads an entry body.
   *
   * @throws MalformedEntryException when it is not JSON, or not an object whose {@code files} and
   *     {@code update} (when present) are objects
   */
  public static CausalEntry parse(byte[] body) throws MalformedEntryException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new MalformedEntryException("not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedEntryException("not a JSON object");
    }
    ObjectNode state = ((ObjectNode) root).deepCopy();
    JsonNode update = state.remove("update");
    JsonNode files = state.get("files");
    if (files == null) {
      state.putObject("files");
    } else if (!files.isObject()) {
      throw new MalformedEntryException("\"files\" is not an object");
    }
    if (update != null && !update.isObject() && !update.isNull()) {
      throw new MalformedEntryException("\"update\" is not an object");
    }
    return new CausalEntry(
        state, update != null && update.isObject() ? (ObjectNode) update : JSON.createObjectNode());
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
