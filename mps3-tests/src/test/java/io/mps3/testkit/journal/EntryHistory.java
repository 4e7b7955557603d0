package io.mps3.testkit.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.testkit.Futures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The log entries of a manifest as every reader sees them (entries 5 s or more from their
 * LastModified dropped, as PROTOCOL.md A4.3), oldest first, read straight from the store: what the
 * journal tests check exactly-once and order against.
 */
final class EntryHistory {

  /**
   * One visible entry: its key time, the store's LastModified, and the files its update sets
   * (version, or null: delete).
   */
  record Entry(String key, long time, long lastModified, Map<String, String> files) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<Entry> entries;
  private final ObjectStore store;
  private final String bucket;

  private EntryHistory(ObjectStore store, String bucket, List<Entry> entries) {
    this.store = store;
    this.bucket = bucket;
    this.entries = entries;
  }

  static EntryHistory read(ObjectStore store, String bucket, String manifest) {
    CausalLayout layout = new CausalLayout(manifest);
    List<Entry> entries = new ArrayList<>();
    for (ObjectMetadata object : Futures.await(store.listAll(bucket, layout.entryPrefix(), null))) {
      CausalLayout.EntryKey key = layout.parseEntryKey(object.key()).orNull();
      if (key == null || Math.abs(key.time() - object.lastModified().toEpochMilli()) >= 5000) {
        continue;
      }
      GetResult result = Futures.await(store.get(bucket, object.key()));
      if (!(result instanceof GetResult.Found found)) {
        continue;
      }
      JsonNode body = json(found.object().body());
      Map<String, String> files = new TreeMap<>();
      JsonNode update = body.path("update").path("files");
      for (String url : iterable(update.fieldNames())) {
        JsonNode file = update.get(url);
        files.put(url, file.isNull() ? null : file.path("version").asText());
      }
      entries.add(new Entry(object.key(), key.time(), object.lastModified().toEpochMilli(), files));
    }
    entries.sort(Comparator.comparingLong(Entry::time).thenComparing(Entry::key));
    return new EntryHistory(store, bucket, entries);
  }

  /** The indexes of the entries whose update writes DB key {@code key}, oldest first. */
  List<Integer> writesOf(String key) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).files().containsKey(bucket + "/" + key)) {
        at.add(i);
      }
    }
    return at;
  }

  /**
   * Asserts that each of keys {@code w/<i>} for {@code i} in {@code landed} is written by exactly
   * one entry with the value {@code i}, that the others ({@code i} below {@code upTo}) are written
   * at most once, and that entries follow the order of {@code i}.
   */
  void assertExactlyOnceInOrder(Set<Integer> mustLand, int upTo) {
    int previous = -1;
    int previousIndex = -1;
    for (int i = 0; i < upTo; i++) {
      String key = "w/" + i;
      List<Integer> at = writesOf(key);
      if (mustLand.contains(i)) {
        assertThat(at).as("entries writing acknowledged %s: %s", key, describe(at)).hasSize(1);
      } else {
        assertThat(at)
            .as("entries writing unacknowledged %s: %s", key, describe(at))
            .hasSizeLessThanOrEqualTo(1);
      }
      if (at.isEmpty()) {
        continue;
      }
      int index = at.get(0);
      assertThat(index)
          .as(
              "entry of %s (#%d) is not before the entry of w/%d (#%d)",
              key, index, previous, previousIndex)
          .isGreaterThanOrEqualTo(previousIndex);
      previous = i;
      previousIndex = index;
      String version = entries.get(index).files().get(bucket + "/" + key);
      assertThat(version).as("%s is written, not deleted", key).isNotNull();
      GetResult content = Futures.await(store.get(bucket, CausalLayout.contentKey(key, version)));
      assertThat(content).as("content of %s", key).isInstanceOf(GetResult.Found.class);
      assertThat(json(((GetResult.Found) content).object().body()).asInt(-1))
          .as("value of %s", key)
          .isEqualTo(i);
    }
  }

  /** The highest {@code i} of a key {@code w/<i>} some entry writes, or -1. */
  int highestWrite() {
    int highest = -1;
    String prefix = bucket + "/w/";
    for (Entry entry : entries) {
      for (String url : entry.files().keySet()) {
        if (url.startsWith(prefix)) {
          highest = Math.max(highest, Integer.parseInt(url.substring(prefix.length())));
        }
      }
    }
    return highest;
  }

  /** The entries at these indexes: key, LastModified and the keys they write. */
  private String describe(List<Integer> at) {
    StringBuilder out = new StringBuilder();
    for (int i : at) {
      Entry e = entries.get(i);
      out.append("\n  #")
          .append(i)
          .append(' ')
          .append(e.key())
          .append(" lastModified ")
          .append(java.time.Instant.ofEpochMilli(e.lastModified()))
          .append(" (key time ")
          .append(e.lastModified() - e.time() >= 0 ? "+" : "")
          .append(e.lastModified() - e.time())
          .append(" ms) writes ")
          .append(e.files().keySet());
    }
    return out.toString();
  }

  int size() {
    return entries.size();
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
