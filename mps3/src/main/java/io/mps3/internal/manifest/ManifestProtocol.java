package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a protocol does for one manifest: the seam under {@link Manifest}. An implementation holds
 * the resolved state and this client's unfinished writes in the protocol's own form, and reads them
 * for subscriptions ({@link ManifestReadable}, under the manifest's lock). Everything else (the
 * subscriptions, the poller, the refresh chain, release) is the manifest's, the same for both
 * protocols. Writing, and what only one protocol can do (compare-and-set, transactions, local
 * acknowledgement), stays on the implementation, which the protocol's {@link Manifests} routes to.
 */
public interface ManifestProtocol extends ManifestReadable {

  /** The manifest this is the protocol side of. */
  Manifest manifest();

  /**
   * Brings the resolved state up to date, opening it on first use, and offers what changed through
   * {@link Manifest#offer}. Runs on the manifest's chain, one at a time with its commits.
   */
  CompletableFuture<Void> resolve();

  /**
   * Completes when a read of {@code key} (of every key when null) may look at the bucket: the
   * strict protocol first waits for this client's commits of it, so a read is linearizable; the
   * causal protocol at once, since reads see its pending writes directly.
   */
  CompletableFuture<Void> settled(@Nullable String key);

  /**
   * The value a read gets without the bucket: this client's own pending write of the key, which
   * reads see at once (causal); null when the bucket must be asked. Under the manifest's lock.
   */
  @Nullable CompletableFuture<Optional<JsonNode>> pendingValue(String key);

  /**
   * A read of {@code key} that needs no resolved state (a strict manifest not opened yet reads one
   * key cold, design 0022), once {@link #settled} and before any refresh; null for the usual read:
   * a refresh, then the state. Not under the manifest's lock.
   */
  default @Nullable CompletableFuture<Optional<JsonNode>> coldValue(String key) {
    return null;
  }

  /** Whether there is state to offer a new subscription yet. Under the manifest's lock. */
  boolean known();

  /** Whether no write of this client is unfinished. Under the manifest's lock. */
  boolean idle();

  /** How many writes of this client the bucket does not hold yet. Under the manifest's lock. */
  int pendingWrites();

  /**
   * Fails the writes not yet in the bucket (one under way may still land: the failure says so); the
   * client closes or the manifest is released.
   */
  void stop();
}
