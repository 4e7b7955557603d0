package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.content.ContentCache;
import io.mps3.internal.content.ContentUpload;
import io.mps3.internal.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A write of this client to one manifest that its reads see before the bucket does: the values by
 * key (null for a delete), its content (shared by the manifests of one write), and, when the client
 * has a journal, its journal record. {@code tried} (the entry keys sent for it that may have
 * landed) and {@code ended} are guarded by the manifest's lock.
 */
public final class PendingWrite {

  private static final AtomicLong IDS = new AtomicLong();

  public final String token = "pending:" + IDS.incrementAndGet();
  final Map<String, @Nullable JsonNode> values;
  final ContentUpload content;
  final @Nullable JournalRecord record;
  final boolean acknowledgedLocally;
  final CompletableFuture<Void> done = new CompletableFuture<>();
  final List<String> tried = new ArrayList<>();
  boolean ended;

  PendingWrite(
      Map<String, @Nullable JsonNode> values,
      ContentUpload content,
      @Nullable JournalRecord record,
      boolean acknowledgedLocally) {
    this.values = values;
    this.content = content;
    this.record = record;
    this.acknowledgedLocally = acknowledgedLocally;
  }

  /**
   * {@code first} and the pending writes right behind it whose content is stored (at most 1000):
   * the writes of one group commit. Under the manifest's lock.
   */
  static List<PendingWrite> batchFrom(List<PendingWrite> pending, PendingWrite first) {
    List<PendingWrite> batch = new ArrayList<>();
    int at = pending.indexOf(first);
    for (int i = at; i >= 0 && i < pending.size(); i++) {
      PendingWrite write = pending.get(i);
      if (write != first && !write.content.stored()) {
        break; // keep the order: nothing after a write that is not ready yet
      }
      batch.add(write);
      if (batch.size() == 1000) {
        break;
      }
    }
    return batch.isEmpty() ? List.of(first) : batch;
  }

  /**
   * The merge patch of one entry committing {@code batch} in order (content stored), caching each
   * value under its new version.
   */
  static ObjectNode patch(String bucket, List<PendingWrite> batch, ContentCache contents) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode files = patch.putObject("files");
    for (PendingWrite write : batch) {
      Map<String, String> versions = write.content.storedVersions();
      write.values.forEach(
          (key, value) -> {
            String url = CausalLayout.fileUrl(bucket, key);
            String version = versions.get(key);
            if (value == null || version == null) {
              files.putNull(url);
            } else {
              files.putObject(url).put("version", version).put("replication", "");
              contents.put(url, version, value, write.content.size(key));
            }
          });
    }
    return patch;
  }
}
