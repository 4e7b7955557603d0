package io.mps3.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * A bare pass-through on the HTTP stack the gateway was first built on, for {@link
 * GatewayBenchmark}: a Jetty server, a blocking handler, Jetty's HttpClient upstream with pooled
 * connections, bodies streamed both ways; it checks nothing and signs nothing. It passes the
 * caller's headers on, {@code Host} included, so the store checks the caller's own signature. (The
 * gateway now runs on its own server and client: design 0023.) Started with a blocking upstream
 * ({@link BlockingUpstream}) instead, it tells what Jetty's HttpClient costs over plain sockets;
 * the raw and HTTP relays ({@link RawRelay}, {@link BlockingHttpRelay}) tell what any proxy must
 * cost.
 */
final class PassThroughProxy implements AutoCloseable {

  /** Hop-by-hop headers, and those the client sets itself from the body. */
  static final Set<String> NOT_PASSED =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "content-length");

  private final Server server;
  private final ServerConnector connector;
  private final HttpClient client;

  private PassThroughProxy(Server server, ServerConnector connector, HttpClient client) {
    this.server = server;
    this.connector = connector;
    this.client = client;
  }

  /**
   * Starts a proxy on a free loopback port in front of {@code upstream}.
   *
   * @param blockingUpstream whether to reach the store over plain blocking sockets ({@link
   *     BlockingUpstream}) instead of Jetty's HttpClient
   */
  static PassThroughProxy start(URI upstream, boolean blockingUpstream) throws Exception {
    HttpClient client = new HttpClient();
    client.setFollowRedirects(false);
    client.setUserAgentField(null);
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    client.start();
    // After start, which installs them: no Accept-Encoding of the client's own, no redirects or
    // authentication challenges followed (as the gateway's Upstream).
    client.getContentDecoderFactories().clear();
    client.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
    client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
    client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Forward(upstream, client, blockingUpstream ? new BlockingUpstream(upstream) : null));
    try {
      server.start();
    } catch (Exception e) {
      client.stop();
      throw e;
    }
    return new PassThroughProxy(server, connector, client);
  }

  /** Where clients reach it. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      client.stop();
    }
  }

  /** The one handler: the request goes upstream as it came, the answer back as it came. */
  private static final class Forward extends Handler.Abstract {
    private final URI upstream;
    private final HttpClient client;
    private final @Nullable BlockingUpstream blocking;

    Forward(URI upstream, HttpClient client, @Nullable BlockingUpstream blocking) {
      this.upstream = upstream;
      this.client = client;
      this.blocking = blocking;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
        throws IOException, InterruptedException, TimeoutException {
      if (blocking != null) {
        blocking.exchange(request, response);
        callback.succeeded();
        return true;
      }
      String query = request.getHttpURI().getQuery();
      URI uri =
          URI.create(
              upstream + request.getHttpURI().getPath() + (query == null ? "" : "?" + query));
      long length = request.getLength();
      org.eclipse.jetty.client.Request forward =
          client
              .newRequest(uri)
              .method(request.getMethod())
              .headers(
                  fields -> {
                    for (HttpField field : request.getHeaders()) {
                      if (!NOT_PASSED.contains(field.getLowerCaseName())) {
                        fields.put(field);
                      }
                    }
                    if (length > 0) {
                      fields.put(HttpHeader.CONTENT_LENGTH, Long.toString(length));
                    }
                  });
      if (length > 0) {
        forward.body(new Body(request, length));
      }
      InputStreamResponseListener listener = new InputStreamResponseListener();
      forward.send(listener);
      org.eclipse.jetty.client.Response answer;
      try {
        answer = listener.get(1, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        throw new IOException("the store did not answer: " + e.getCause(), e.getCause());
      }
      response.setStatus(answer.getStatus());
      for (HttpField field : answer.getHeaders()) {
        if (!NOT_PASSED.contains(field.getLowerCaseName())
            || field.getHeader() == HttpHeader.CONTENT_LENGTH) {
          response.getHeaders().add(field);
        }
      }
      try (InputStream from = listener.getInputStream();
          OutputStream to = Content.Sink.asOutputStream(response)) {
        from.transferTo(to);
      }
      callback.succeeded();
      return true;
    }
  }

  /** The caller's body, read as the store's connection takes it, with its length. */
  private static final class Body implements org.eclipse.jetty.client.Request.Content {
    private final Content.Source source;
    private final long length;

    Body(Content.Source source, long length) {
      this.source = source;
      this.length = length;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public @Nullable String getContentType() {
      return null; // the caller's Content-Type, if any, is among the passed headers
    }

    @Override
    public Content.@Nullable Chunk read() {
      return source.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
      source.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
      source.fail(failure);
    }
  }
}
