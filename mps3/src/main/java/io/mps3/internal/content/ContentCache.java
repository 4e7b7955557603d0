package io.mps3.internal.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Values by file URL and version, bounded by the bytes of their JSON, least recently used out
 * first. Versions never change, so an entry never goes stale. Values held here are never handed to
 * callers (they get copies). Thread-safe.
 */
public final class ContentCache {

  /** What a tree costs in memory beyond its JSON bytes, roughly; keeps tiny values honest. */
  private static final int OVERHEAD = 128;

  private final long capacity;
  private final LinkedHashMap<String, Cached> values = new LinkedHashMap<>(64, 0.75f, true);
  private long size;

  private record Cached(JsonNode value, long weight) {}

  public ContentCache(long capacityBytes) {
    this.capacity = capacityBytes;
  }

  synchronized @Nullable JsonNode get(String url, String version) {
    Cached cached = values.get(url + "\n" + version);
    return cached == null ? null : cached.value;
  }

  /** Caches a value whose JSON has {@code bytes} bytes, unless it alone exceeds the capacity. */
  public synchronized void put(String url, String version, JsonNode value, int bytes) {
    long weight = (long) bytes + OVERHEAD + url.length() + version.length();
    if (weight > capacity) {
      return;
    }
    Cached old = values.put(url + "\n" + version, new Cached(value, weight));
    size += weight - (old == null ? 0 : old.weight);
    for (Iterator<Map.Entry<String, Cached>> it = values.entrySet().iterator();
        size > capacity && it.hasNext(); ) {
      size -= it.next().getValue().weight;
      it.remove();
    }
  }

  /** The bytes held, as weighed. */
  synchronized long size() {
    return size;
  }
}
