package io.mps3.internal.causal;

import io.mps3.internal.causal.CausalLayout.EntryKey;
import io.mps3.spi.ObjectMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The entries a client listed or wrote lately. A listing may lag behind the bucket (an eventually
 * consistent index): resolving a view from it alone would take the view back, even behind this
 * client's own acknowledged writes (PROTOCOL.md A6: a view only moves forward). So what a listing
 * leaves out is taken from here while it is recent: entries are immutable, and autoclean deletes
 * only entries older than the window. Thread-safe.
 */
final class RecentEntries {

  private final Map<String, ListedEntry> seen = new ConcurrentHashMap<>();

  /**
   * The listing plus the recent entries it left out, newest first; remembers what it lists and
   * forgets entries more than two windows older than the newest.
   */
  List<ListedEntry> withSeen(List<ListedEntry> listed, Duration window) {
    long newest = Long.MIN_VALUE;
    for (ListedEntry l : listed) {
      seen.put(l.key().objectKey(), l);
      newest = Math.max(newest, l.key().time());
    }
    for (ListedEntry l : seen.values()) {
      newest = Math.max(newest, l.key().time());
    }
    long keepFrom = newest - 2 * window.toMillis();
    seen.values().removeIf(l -> l.key().time() < keepFrom);
    TreeMap<String, ListedEntry> all = new TreeMap<>(); // entry keys (ASCII) sort newest first
    for (ListedEntry l : listed) {
      all.put(l.key().objectKey(), l);
    }
    int before = all.size();
    seen.forEach(all::putIfAbsent);
    return all.size() == before ? listed : new ArrayList<>(all.values());
  }

  /** Remembers an entry this client wrote at {@code time}, as if listed. */
  void wrote(@Nullable EntryKey key, long time, int size) {
    if (key != null) {
      String objectKey = key.objectKey();
      seen.put(
          objectKey,
          new ListedEntry(
              key, new ObjectMetadata(objectKey, "", Instant.ofEpochMilli(time), size, null)));
    }
  }
}
