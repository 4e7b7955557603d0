package io.mps3.gateway;

import io.mps3.spi.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One issuer, S3Proxy and gateway for the test classes of this JVM that need no gateway of their
 * own (the client contract suites, the operations test), started on first use and stopped when the
 * JVM exits, so that each suite does not pay for the three starts again.
 */
final class SharedGateway {

  private static @Nullable GatewayFixture fixture;
  private static @Nullable ObjectStore contractStore;

  private SharedGateway() {}

  static synchronized GatewayFixture fixture() {
    if (fixture == null) {
      try {
        Path dir = Files.createTempDirectory("mps3-gateway-shared");
        // The admin role is the trusted rule: a strict client writes checkpoints, their segments
        // and heads, which a gateway refuses to everyone else (design 0014).
        GatewayFixture started =
            GatewayFixture.start(
                dir,
                List.of(
                    "validation:",
                    "  trustedRule: admins",
                    "virtualHostDomains: [gateway.test]", // VirtualHostedIT
                    "audit:",
                    "  file: audit.jsonl"));
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "gateway-stop"));
        fixture = started;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the shared gateway", e);
      }
    }
    return fixture;
  }

  /**
   * The Java client's store through the shared gateway, signing with web-identity credentials of a
   * caller with the {@code admin} role (the fixture's rule that allows every named operation): the
   * contract suites test the passthrough, not the rules.
   */
  static synchronized ObjectStore contractStore() {
    if (contractStore == null) {
      GatewayFixture f = fixture();
      try {
        contractStore = f.client(f.assume("contract-runner", List.of("admin")));
      } catch (Exception e) {
        throw new IllegalStateException("cannot get credentials from the shared gateway", e);
      }
    }
    return contractStore;
  }
}
