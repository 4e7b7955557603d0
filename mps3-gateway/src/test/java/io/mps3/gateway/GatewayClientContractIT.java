package io.mps3.gateway;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.ClientContract;

/**
 * The causal client contract with the Java client signing with web-identity credentials through the
 * gateway, S3Proxy behind it: whatever passes directly against S3Proxy ({@code S3ProxyClientIT})
 * must pass through the gateway.
 */
class GatewayClientContractIT extends ClientContract {

  @Override
  protected ObjectStore store() {
    return SharedGateway.contractStore();
  }

  @Override
  protected String bucket() {
    return GatewayFixture.BUCKET;
  }
}
