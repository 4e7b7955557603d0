package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code mps3 log --protocol strict}: the objects of a strict manifest as they lie. */
final class StrictLogPrinter {

  private StrictLogPrinter() {}

  static void print(ObjectStore store, String bucket, String manifest, int limit, PrintWriter out) {
    List<ObjectMetadata> slots =
        new ArrayList<>(store.listAll(bucket, manifest + "/log/", null).join());
    Collections.reverse(slots);
    int read = 0;
    for (ObjectMetadata slot : slots) {
      ObjectNode line = describe(slot);
      if (read++ < limit) {
        JsonNode entry = body(store, bucket, slot.key());
        line.put("status", entry != null && entry.has("files") ? "VALID" : "NOT_AN_ENTRY");
        if (entry != null) {
          line.set("entry", entry);
        }
      }
      out.println(line);
    }
    for (ObjectMetadata checkpoint :
        store.listAll(bucket, manifest + "/checkpoint/", null).join()) {
      out.println(describe(checkpoint).put("kind", "checkpoint"));
    }
    JsonNode head = body(store, bucket, manifest + "/head"); // null prints as JSON null
    ObjectNode line = Json.MAPPER.createObjectNode().put("key", manifest + "/head");
    line.set("head", head);
    out.println(line);
  }

  private static ObjectNode describe(ObjectMetadata m) {
    return Json.MAPPER
        .createObjectNode()
        .put("key", m.key())
        .put("lastModified", m.lastModified().toString())
        .put("size", m.size());
  }

  /** An object's body as JSON; null when it is missing or not JSON. */
  private static @Nullable JsonNode body(ObjectStore store, String bucket, String key) {
    GetResult result = store.get(bucket, key).join();
    if (!(result instanceof GetResult.Found found)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(found.object().body());
    } catch (IOException e) {
      return null;
    }
  }
}
