package io.mps3.internal.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One write as the {@link WriteJournal} holds it: its sequence number (the order writes were made),
 * the manifests it goes to, its values (null for a delete), and, for a write read back after a
 * restart, the entry keys an earlier process tried for each manifest. {@code committed} is guarded
 * by the journal's lock.
 */
public final class JournalRecord {

  final long seq;
  final String op;
  final Path file;
  public final List<String> manifests;
  public final Map<String, @Nullable JsonNode> values;
  final Map<String, List<String>> triedEntries;
  final Set<String> committed = new HashSet<>();

  JournalRecord(
      long seq,
      String op,
      Path file,
      List<String> manifests,
      Map<String, @Nullable JsonNode> values,
      Map<String, List<String>> triedEntries) {
    this.seq = seq;
    this.op = op;
    this.file = file;
    this.manifests = manifests;
    this.values = values;
    this.triedEntries = triedEntries;
  }

  /** The entry keys an earlier process tried for this write in {@code manifest}. */
  public List<String> triedEntries(String manifest) {
    return triedEntries.getOrDefault(manifest, List.of());
  }

  @Override
  public String toString() {
    return "journaled write " + seq + " (" + file + ")";
  }
}
