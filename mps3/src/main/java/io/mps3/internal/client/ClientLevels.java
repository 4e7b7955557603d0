package io.mps3.internal.client;

import io.mps3.Protocol;
import io.mps3.internal.manifest.Manifest;
import io.mps3.internal.manifest.Manifests;
import io.mps3.spi.ClientMetrics;
import org.jspecify.annotations.Nullable;

/**
 * What a client shows of itself to its metrics: the levels, read from its open manifests when a
 * gauge asks (a manifest is released only when it has no pending write and no subscription, so the
 * open ones hold every count). 0 before the manifests are attached and after the client closed.
 * Thread-safe.
 */
final class ClientLevels implements ClientMetrics.Client {

  private final Protocol protocol;
  private volatile @Nullable Manifests manifests;

  ClientLevels(Protocol protocol) {
    this.protocol = protocol;
  }

  /** The client's manifests exist now (or, with null, no more: it closed). */
  void attach(@Nullable Manifests manifests) {
    this.manifests = manifests;
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public int pendingWrites() {
    Manifests all = manifests;
    int sum = 0;
    if (all != null) {
      for (Manifest m : all.open()) {
        sum += m.pendingWrites();
      }
    }
    return sum;
  }

  @Override
  public int subscriptionBacklog() {
    Manifests all = manifests;
    int sum = 0;
    if (all != null) {
      for (Manifest m : all.open()) {
        sum += m.subscriptionBacklog();
      }
    }
    return sum;
  }

  @Override
  public String toString() {
    return "MPS3 client (" + protocol + ")";
  }
}
