package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
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
final class PendingWrite {

  private static final AtomicLong IDS = new AtomicLong();

  final String token = "pending:" + IDS.incrementAndGet();
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
}
