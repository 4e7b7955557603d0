package io.mps3.internal.content;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The content objects of one write, shared by the manifests it goes to: each value is stored once
 * per try. A try that failed is started again when a retrying commit asks for the versions (the
 * content objects of a failed try, if any landed, are left unreferenced). Thread-safe.
 */
public final class ContentUpload {

  private final CausalContent content;
  private final Map<String, byte[]> bytes;
  private CompletableFuture<Map<String, String>> current;

  /** Starts storing {@code bytes} (by DB key; deletes have none). */
  public ContentUpload(CausalContent content, Map<String, byte[]> bytes) {
    this.content = content;
    this.bytes = bytes;
    this.current = start();
  }

  /** The size of a key's JSON, or 0 for a delete. */
  public int size(String key) {
    byte[] body = bytes.get(key);
    return body == null ? 0 : body.length;
  }

  /** Whether the write has no content (only deletes): storing it proves nothing of the store. */
  public boolean empty() {
    return bytes.isEmpty();
  }

  /** The versions by DB key; starts a new try when the last one failed. */
  public synchronized CompletableFuture<Map<String, String>> versions() {
    if (current.isCompletedExceptionally()) {
      current = start();
    }
    return current;
  }

  /** Whether the content is stored (the versions are known). */
  public synchronized boolean stored() {
    return current.isDone() && !current.isCompletedExceptionally();
  }

  /** The versions; only once {@link #stored()}. */
  public synchronized Map<String, String> storedVersions() {
    return current.join();
  }

  private CompletableFuture<Map<String, String>> start() {
    Map<String, CompletableFuture<String>> stored = new LinkedHashMap<>();
    try {
      bytes.forEach((key, body) -> stored.put(key, content.write(key, body)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // a store that throws instead of failing
    }
    return CompletableFuture.allOf(stored.values().toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              Map<String, String> out = new HashMap<>();
              stored.forEach((key, version) -> out.put(key, version.join()));
              return out;
            });
  }
}
