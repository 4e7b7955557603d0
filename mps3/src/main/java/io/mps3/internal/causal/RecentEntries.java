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

  /**
   * Remembers an entry this client wrote at {@code time}, as if listed.
   *
   * @param etag the ETag the store gave it, or {@code ""} when unknown
   */
  void wrote(@Nullable EntryKey key, long time, int size, String etag) {
    if (key != null) {
      String objectKey = key.objectKey();
      seen.put(
          objectKey,
          new ListedEntry(
              key, new ObjectMetadata(objectKey, etag, Instant.ofEpochMilli(time), size, null)));
    }
  }

  /**
   * The window a reader would replay under a new entry {@code objectKey} at {@code time}, as far as
   * this client knows it: the entries listed or written lately that sort after it (older, newest
   * first) and whose time is less than {@code window} before its time. Null when one of them has no
   * known ETag.
   */
  @Nullable List<ListedEntry> windowUnder(String objectKey, long time, Duration window) {
    TreeMap<String, ListedEntry> older = new TreeMap<>();
    for (ListedEntry l : seen.values()) {
      if (l.key().objectKey().compareTo(objectKey) > 0
          && l.key().time() > time - window.toMillis()) {
        if (l.metadata().etag().isEmpty()) {
          return null;
        }
        older.put(l.key().objectKey(), l);
      }
    }
    return new ArrayList<>(older.values());
  }
}
