package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentListener;
import io.mps3.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One manifest as a client sees it, whatever its protocol: what the client routes reads and
 * subscriptions to. Values it completes with are its own (the client copies them before handing
 * them out). Thread-safe.
 */
public interface Manifest {

  /** The value of a key, this client's pending writes included; empty when absent. */
  CompletableFuture<Optional<JsonNode>> get(String key);

  /** The keys that start with a prefix, sorted, this client's pending writes included. */
  CompletableFuture<List<String>> keys(String prefix);

  /** Brings the manifest up to date now and delivers what changed. */
  CompletableFuture<Void> catchUp();

  /** Subscribes to a key, or to every key under a prefix. */
  Subscription subscribe(String keyOrPrefix, boolean prefix, DocumentListener listener);

  /**
   * Whether nothing would be lost by forgetting this manifest: no subscription, no write that the
   * bucket does not hold yet, nothing in flight.
   */
  boolean quiet();

  /** Stops polling and fails what is unfinished; the client closes. */
  void stop();
}
