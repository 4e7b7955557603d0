package io.mps3.gateway;

import io.mps3.spi.ObjectStore;
import io.mps3.testkit.StrictClientContract;

/**
 * The strict client contract through the gateway with web-identity credentials, S3Proxy behind it
 * (as {@code S3ProxyStrictClientIT} runs it directly).
 */
class GatewayStrictClientContractIT extends StrictClientContract {

  @Override
  protected ObjectStore store() {
    return SharedGateway.contractStore();
  }

  @Override
  protected String bucket() {
    return GatewayFixture.BUCKET;
  }
}
