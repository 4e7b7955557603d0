package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/** A Jetty request and its response as an {@link Exchange}. Not thread-safe. */
final class JettyExchange implements Exchange {

  private final Request request;
  private final Response response;
  private final IncomingRequest incoming;

  JettyExchange(Request request, Response response) {
    this.request = request;
    this.response = response;
    this.incoming = incoming(request);
  }

  private static IncomingRequest incoming(Request request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers
          .computeIfAbsent(field.getLowerCaseName(), name -> new ArrayList<>())
          .add(field.getValue());
    }
    String path = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    return new IncomingRequest(
        request.getMethod(), path == null ? "/" : path, query == null ? "" : query, headers);
  }

  @Override
  public IncomingRequest request() {
    return incoming;
  }

  @Override
  public InputStream body() {
    return Content.Source.asInputStream(request);
  }

  @Override
  public String remoteAddress() {
    return Request.getRemoteAddr(request);
  }

  @Override
  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    response.getHeaders().add(name, value);
  }

  @Override
  public boolean committed() {
    return response.isCommitted();
  }

  @Override
  public void reset() {
    response.reset();
  }

  @Override
  public void respond(int status, byte[] body) throws IOException {
    response.setStatus(status);
    boolean bodyless = status == 204 || status == 304;
    if (!bodyless && !response.getHeaders().contains("Content-Length")) {
      response.getHeaders().put("Content-Length", Integer.toString(body.length));
    }
    boolean sent = !bodyless && !HttpMethod.HEAD.is(request.getMethod());
    try (Blocker.Callback written = Blocker.callback()) {
      response.write(true, ByteBuffer.wrap(sent ? body : new byte[0]), written);
      written.block();
    }
  }

  @Override
  public OutputStream respondStreaming(int status) {
    response.setStatus(status);
    return Content.Sink.asOutputStream(response);
  }
}
