package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A write waiting for its slot in a strict log: the values by key (null deletes), the versions it
 * expects (0 for absent), and the content versions of its values too large to travel inline. {@link
 * #done} completes with true once committed, false when a precondition failed.
 */
final class StrictWrite {

  final Map<String, @Nullable JsonNode> values;
  final Map<String, Long> expect;
  final CompletableFuture<Map<String, String>> contentVersions;
  final int inlineBytes;
  final CompletableFuture<Boolean> done = new CompletableFuture<>();

  /**
   * Whether the log was read to its end after this write was queued, so that a precondition that
   * fails is known to fail on a state no older than the write. Guarded by the manifest's lock.
   */
  boolean rechecked;

  StrictWrite(
      Map<String, @Nullable JsonNode> values,
      Map<String, Long> expect,
      CompletableFuture<Map<String, String>> contentVersions,
      int inlineBytes) {
    this.values = values;
    this.expect = expect;
    this.contentVersions = contentVersions;
    this.inlineBytes = inlineBytes;
  }

  /** Whether its content objects are stored (or failed to be). */
  boolean ready() {
    return contentVersions.isDone();
  }
}
