package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.util.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A writer's claim, carried in its entry, that replaying the entries of the entry's window changes
 * nothing (design record 0024): {@code "mps3Window": {"entry": <this entry's key>, "entries": <n>,
 * "sha256": <hex>}}. The digest covers the key and ETag of each entry of the window as the writer
 * knew it. A reader whose listing shows exactly those entries (same digest) may take the base's
 * state plus its own update as the answer, without reading them: the writer checked that replaying
 * their updates, in that order, gives the same state. Exact by construction; the JavaScript client
 * ignores the field, and a copy carried into another entry's body names the wrong entry and is
 * ignored too.
 *
 * @param entry the key of the entry that makes the claim
 * @param entries how many entries the window held
 * @param sha256 the digest of the window ({@link #digest})
 */
public record WindowClaim(String entry, int entries, String sha256) {

  /** The entry body's field that holds a claim. */
  public static final String FIELD = "mps3Window";

  /** The claim an entry's state carries, or null when it carries none or it is malformed. */
  public static @Nullable WindowClaim of(ObjectNode state) {
    JsonNode claim = state.get(FIELD);
    if (claim == null
        || !claim.path("entry").isTextual()
        || !claim.path("entries").canConvertToInt()
        || !claim.path("sha256").isTextual()) {
      return null;
    }
    return new WindowClaim(
        claim.get("entry").asText(), claim.get("entries").asInt(), claim.get("sha256").asText());
  }

  /** The claim as the JSON field's value. */
  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("entry", entry);
    json.put("entries", entries);
    json.put("sha256", sha256);
    return json;
  }

  /**
   * Whether this claim, made by {@code base}, covers exactly the {@code window} a reader listed.
   */
  boolean covers(String base, List<ListedEntry> window) {
    return entry.equals(base) && entries == window.size() && sha256.equals(digest(window));
  }

  /**
   * The entries of the window of the entry at {@code baseIndex} of a listing (newest first), as the
   * replay takes them: those after it whose time is less than the window before its time. The base
   * itself is not included.
   */
  static List<ListedEntry> window(List<ListedEntry> listed, int baseIndex, long windowMillis) {
    long baseTime = listed.get(baseIndex).key().time();
    List<ListedEntry> window = new ArrayList<>();
    for (int i = baseIndex + 1; i < listed.size(); i++) {
      if (listed.get(i).key().time() > baseTime - windowMillis) {
        window.add(listed.get(i));
      }
    }
    return window;
  }

  /**
   * SHA-256 of {@code <key> <etag>\n} for each entry of a window in listing order (newest first),
   * in lowercase hex. Keys hold no space and ETags no line end.
   */
  static String digest(List<ListedEntry> window) {
    StringBuilder lines = new StringBuilder(window.size() * 80);
    for (ListedEntry e : window) {
      lines.append(e.key().objectKey()).append(' ').append(e.metadata().etag()).append('\n');
    }
    return Sha256.hex(lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether replaying {@code window} (updates oldest first) and then {@code own} on {@code state}
   * gives what {@code own} alone gives. Only the parts of the state the patches can touch are
   * copied and compared, so the cost follows the patches, not the state.
   */
  static boolean changesNothing(ObjectNode state, List<ObjectNode> window, ObjectNode own) {
    List<ObjectNode> all = new ArrayList<>(window);
    all.add(own);
    ObjectNode touched = touched(state, all);
    ObjectNode replayed = touched.deepCopy();
    for (ObjectNode update : all) {
      JsonMergePatch.applyInPlace(replayed, update);
    }
    JsonMergePatch.applyInPlace(touched, own);
    return replayed.equals(touched);
  }

  /**
   * A copy of the parts of {@code state} that {@code patches} can change: each field they name,
   * whole, except a field that is an object in the state and that every patch naming it patches
   * with an object, which is narrowed the same way. The rest of the state is the same before and
   * after any of the patches.
   */
  private static ObjectNode touched(ObjectNode state, List<ObjectNode> patches) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    List<String> names = new ArrayList<>();
    for (ObjectNode patch : patches) {
      patch.fieldNames().forEachRemaining(names::add);
    }
    for (String name : names) {
      if (copy.has(name)) {
        continue;
      }
      JsonNode current = state.get(name);
      if (current == null) {
        continue;
      }
      List<ObjectNode> inner = new ArrayList<>();
      boolean narrow = current.isObject();
      for (ObjectNode patch : patches) {
        JsonNode value = patch.get(name);
        if (value instanceof ObjectNode object) {
          inner.add(object);
        } else if (value != null) {
          narrow = false;
        }
      }
      copy.set(name, narrow ? touched((ObjectNode) current, inner) : current.deepCopy());
    }
    return copy;
  }
}
