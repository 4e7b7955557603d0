package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What subscriptions read of a manifest's current state, whatever its protocol: the one interface
 * through which {@link Subscribers} decides what to deliver. Read under the manifest's lock.
 */
public interface ManifestReadable {

  /**
   * The token of a key's current value: {@link Subscriber#ABSENT}, a version, or a pending write's
   * token; null when nothing is known of the key yet (it is not offered).
   */
  @Nullable String token(String key);

  /** The current value of a key; null when absent. */
  CompletableFuture<@Nullable JsonNode> value(String key);

  /** The keys under a prefix that the state knows of, present or pending. */
  Collection<String> keysUnder(String prefix);
}
