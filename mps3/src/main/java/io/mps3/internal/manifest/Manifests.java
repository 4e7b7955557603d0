package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The manifests of one client under one protocol: the seam between the client, which routes calls
 * and owns threads, and a protocol. The client never asks which protocol it runs.
 */
public interface Manifests {

  /** The manifest of a key, opened on first use. */
  Manifest manifest(String manifestKey);

  /**
   * Writes values (null deletes) to each named manifest, atomically per manifest. {@code
   * acknowledgedLocally}: complete before the bucket holds the write, where the protocol can.
   */
  CompletableFuture<Void> write(
      List<String> manifestKeys,
      Map<String, @Nullable JsonNode> values,
      boolean acknowledgedLocally);

  /** Stops and forgets the manifests no longer used ({@link OpenManifests}); how many. */
  int releaseIdle();

  /** How many manifests are open. */
  int openCount();

  /** The manifests open now. */
  Collection<Manifest> open();

  /** Stops every manifest; the client closes. */
  void stop();
}
