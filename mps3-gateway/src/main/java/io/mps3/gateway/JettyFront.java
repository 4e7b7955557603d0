package io.mps3.gateway;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/** Jetty's server in front of the gateway's handler, each request handled on its thread pool. */
final class JettyFront implements FrontServer {

  private final Server server;
  private final ServerConnector connector;

  private JettyFront(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Starts listening on {@code host:port} (0: any free port), https with {@code tls}. */
  static JettyFront start(String host, int port, @Nullable TlsConfig tls, ExchangeHandler handler)
      throws Exception {
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
    ServerConnector connector =
        tls == null
            ? new ServerConnector(server, new HttpConnectionFactory(http))
            : new ServerConnector(
                server,
                new SslConnectionFactory(tls.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            try {
              handler.handle(new JettyExchange(request, response));
              callback.succeeded();
            } catch (Throwable failure) {
              callback.failed(failure);
            }
            return true;
          }
        });
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      throw e;
    }
    return new JettyFront(server, connector);
  }

  @Override
  public int localPort() {
    return connector.getLocalPort();
  }

  @Override
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping: nothing more to do.
    }
  }
}
