package io.mps3.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * A running MPS3 gateway: one HTTP listener that answers the STS action {@code
 * AssumeRoleWithWebIdentity} and the S3 API. Stateless: any number of gateways with the same config
 * (above all the same sealing keys) serve the same clients.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(Path.of("gateway.yaml"))) {
 *   System.out.println("listening on " + gateway.endpoint());
 *   gateway.join();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class Gateway implements AutoCloseable {

  /**
   * The most callers' connections served at once, a thread each. Past it, the one idle the longest
   * makes room; with every one serving a request, a new caller gets a 503.
   */
  private static final int MAX_CONNECTIONS = 1000;

  private final BlockingServer front;
  private final String host;
  private final boolean https;
  private final GatewayHandler handler;
  private final Operations operations;

  private Gateway(
      BlockingServer front,
      String host,
      boolean https,
      GatewayHandler handler,
      Operations operations) {
    this.front = front;
    this.host = host;
    this.https = https;
    this.handler = handler;
    this.operations = operations;
  }

  /**
   * Reads a config file and starts a gateway with it.
   *
   * @param configFile the YAML config
   * @return the running gateway
   * @throws GatewayConfigException when the config is wrong (the message names the line) or the
   *     gateway cannot listen where it says
   */
  public static Gateway start(Path configFile) {
    return start(GatewayConfigLoader.load(Objects.requireNonNull(configFile, "configFile")));
  }

  static Gateway start(GatewayConfig config) {
    return start(config, Clock.systemUTC());
  }

  static Gateway start(GatewayConfig config, Clock clock) {
    Rules rules = Rules.compile(config);
    SessionSealer sealer = new SessionSealer(config.sts().sealingKeys());
    Revocations revocations = new Revocations(config.sts().revoked());
    Operations operations = new Operations(config.operations(), clock, System::nanoTime);
    GatewayHandler handler =
        new GatewayHandler(
            new StsService(
                config.sts(), new IdTokenVerifier(config.issuers()), sealer, revocations, clock),
            new SigV4Verifier(sealer, config.region(), config.clockSkew(), clock, revocations),
            rules,
            new Upstream(config.upstream(), clock),
            new Cors(config.cors()),
            config.addressing(),
            operations,
            clock,
            new ManifestWrites(
                rules, config.validation(), new UpstreamManifests(config.upstream(), clock)));
    BlockingServer front;
    try {
      TlsConfig tls = config.tls();
      front =
          BlockingServer.start(
              config.listenHost(),
              config.listenPort(),
              tls == null ? null : tls.sslContext(),
              handler::handle,
              MAX_CONNECTIONS);
    } catch (Exception e) { // cannot bind, or the keystore changed since it was checked
      handler.close();
      operations.close();
      throw new GatewayConfigException(
          "cannot listen on " + config.listenHost() + ":" + config.listenPort() + ": " + e, e);
    }
    return new Gateway(front, config.listenHost(), config.tls() != null, handler, operations);
  }

  /**
   * The gateway's base URL, both the S3 endpoint and the STS endpoint.
   *
   * @return {@code http://host:port}, or {@code https://host:port} with a {@code tls} section
   */
  public URI endpoint() {
    return URI.create((https ? "https://" : "http://") + host + ":" + front.localPort());
  }

  /**
   * Waits until the gateway stops.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void join() throws InterruptedException {
    front.join();
  }

  /** Stops listening and ends the requests in flight. Idempotent. */
  @Override
  public void close() {
    try {
      front.close();
    } finally {
      handler.close();
      operations.close();
    }
  }
}
