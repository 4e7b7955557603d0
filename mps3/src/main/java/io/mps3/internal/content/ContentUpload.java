package io.mps3.internal.content;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The content objects of one write, shared by the manifests it goes to: each value is stored once
 * per try. A try that failed is started again when a retrying commit asks for the versions (the
 * content objects of a failed try, if any landed, are left unreferenced). Thread-safe.
 */
public final class ContentUpload {

  private final CausalContent content;
  private final Map<String, byte[]> bytes;
  private @Nullable CompletableFuture<Map<String, String>> current;
  private final CompletableFuture<Void> storedOnce = new CompletableFuture<>();

  /**
   * The upload of {@code bytes} (by DB key; deletes have none), started by the first call of {@link
   * #versions()}: make it holding no lock, since a store may run its calls on the caller's thread.
   */
  public ContentUpload(CausalContent content, Map<String, byte[]> bytes) {
    this.content = content;
    this.bytes = bytes;
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

  /** The versions by DB key; starts the upload, or a new try when the last one failed. */
  // Ignored future: it completes `mine`, which callers wait on.
  @SuppressWarnings("FutureReturnValueIgnored")
  public CompletableFuture<Map<String, String>> versions() {
    CompletableFuture<Map<String, String>> mine;
    synchronized (this) {
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      mine = new CompletableFuture<>();
      current = mine;
    }
    upload() // outside the lock: a store may run its calls on this thread
        .whenComplete(
            (versions, e) -> {
              if (e == null) {
                mine.complete(versions);
                storedOnce.complete(null);
              } else {
                mine.completeExceptionally(e);
              }
            });
    return mine;
  }

  /** Completes when a try stored the content; it starts no try. */
  public CompletableFuture<Void> storedOnce() {
    return storedOnce;
  }

  /** Whether the content is stored (the versions are known). */
  public synchronized boolean stored() {
    return current != null && current.isDone() && !current.isCompletedExceptionally();
  }

  /** The versions; only once {@link #stored()}. */
  public synchronized Map<String, String> storedVersions() {
    if (current == null) {
      throw new IllegalStateException("the upload has not started");
    }
    return current.join();
  }

  /** Starts the upload now; its failure reaches the commits, which ask {@link #versions()}. */
  @SuppressWarnings("FutureReturnValueIgnored")
  public void begin() {
    versions();
  }

  private CompletableFuture<Map<String, String>> upload() {
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
