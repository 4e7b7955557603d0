package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Values by file URL and version, least recently used out first. Versions never change, so an entry
 * never goes stale. Thread-safe.
 */
final class ContentCache {

  private final Map<String, JsonNode> values;

  ContentCache(int capacity) {
    this.values =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized @Nullable JsonNode get(String url, String version) {
    return values.get(url + "\n" + version);
  }

  synchronized void put(String url, String version, JsonNode value) {
    values.put(url + "\n" + version, value);
  }
}
