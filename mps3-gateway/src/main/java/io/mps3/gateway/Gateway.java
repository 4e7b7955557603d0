package io.mps3.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running MPS3 gateway: one HTTP listener (Jetty) that answers the STS action {@code
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

  private final Server server;
  private final ServerConnector connector;
  private final boolean https;

  private Gateway(Server server, ServerConnector connector, boolean https) {
    this.server = server;
    this.connector = connector;
    this.https = https;
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
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("mps3-gateway");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    // The store's Date goes back to clients (MPS3 clients learn their clock offset from it), and
    // object keys may hold any character: no path normalisation, no refusal of "//" or "..".
    http.setSendDateHeader(false);
    http.setSendServerVersion(false);
    http.setUriCompliance(UriCompliance.UNSAFE);
    // Header values as sent: Jetty's cache of common values otherwise hands back its own case
    // ("text/plain; charset=UTF-8" read as "...utf-8"), which breaks the signature over them.
    http.setHeaderCacheCaseSensitive(true);
    TlsConfig tls = config.tls();
    ServerConnector connector =
        tls == null
            ? new ServerConnector(server, new HttpConnectionFactory(http))
            : new ServerConnector(
                server,
                new SslConnectionFactory(tls.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
    connector.setHost(config.listenHost());
    connector.setPort(config.listenPort());
    server.addConnector(connector);
    server.setHandler(handler);
    server.addBean(operations); // stopped with the server: closes the audit log
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      throw new GatewayConfigException(
          "cannot listen on " + config.listenHost() + ":" + config.listenPort() + ": " + e, e);
    }
    return new Gateway(server, connector, tls != null);
  }

  /**
   * The gateway's base URL, both the S3 endpoint and the STS endpoint.
   *
   * @return {@code http://host:port}, or {@code https://host:port} with a {@code tls} section
   */
  public URI endpoint() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create((https ? "https://" : "http://") + host + ":" + connector.getLocalPort());
  }

  /**
   * Waits until the gateway stops.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops listening and ends the requests in flight. Idempotent. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping: nothing more to do.
    }
  }
}
