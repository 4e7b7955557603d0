package io.mps3.testkit.causal;

import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.testkit.ForwardingObjectStore;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A broken store for negative controls: it acknowledges every {@code every}-th write of a value's
 * content object ({@code <key>@<version>}, not the manifest's) without storing it, so acknowledged
 * writes are lost. (Dropping log entries is no longer enough: a writer remembers its own entries,
 * so its next entry carries the lost one's effect.)
 */
final class ContentDroppingStore extends ForwardingObjectStore {

  private final int every;
  private final AtomicInteger entries = new AtomicInteger();

  ContentDroppingStore(ObjectStore delegate, int every) {
    super(delegate);
    this.every = every;
  }

  /** How many content objects were dropped. */
  int dropped() {
    return entries.get() / every;
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    boolean content = key.contains("@") && !key.startsWith("manifest.json");
    if (content && entries.incrementAndGet() % every == 0) {
      return CompletableFuture.completedFuture(
          new PutOutcome.Written("\"dropped\"", null, Instant.now()));
    }
    return delegate.put(bucket, key, body, options);
  }
}
