package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A write of this client that its reads see before the bucket does: the values by key (null for a
 * delete) and, once stored, the content version of each.
 */
final class PendingWrite {

  private static final AtomicLong IDS = new AtomicLong();

  final String token = "pending:" + IDS.incrementAndGet();
  final Map<String, @Nullable JsonNode> values;
  final CompletableFuture<Map<String, String>> versions;
  final CompletableFuture<Void> done = new CompletableFuture<>();

  PendingWrite(
      Map<String, @Nullable JsonNode> values, CompletableFuture<Map<String, String>> versions) {
    this.values = values;
    this.versions = versions;
  }
}
