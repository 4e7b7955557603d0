package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One HTTP request and its answer, as the gateway's handler sees them, whatever server carries
 * them. The handler sets the answer's headers, then ends it with {@link #respond} (a whole body) or
 * {@link #respondStreaming} (a body of any size). Not thread-safe: one thread handles an exchange.
 */
interface Exchange {

  /** The request as it arrived: method, raw path and query, headers by lowercase name. */
  IncomingRequest request();

  /**
   * The request's body with its transfer framing removed ({@code Content-Length} or chunked): it
   * reads -1 at the body's end. The first read of a request that sent {@code Expect: 100-continue}
   * lets the caller send its body; a request whose body is never read is refused that way.
   */
  InputStream body();

  /** The caller's address (for STS's per-address limit): an IP address, without the port. */
  String remoteAddress();

  /** Sets an answer header, replacing any of that name (names are matched ignoring case). */
  void setHeader(String name, String value);

  /** Adds an answer header, beside any of that name. */
  void addHeader(String name, String value);

  /** Whether the answer's status and headers have gone out: after that, only its body can. */
  boolean committed();

  /** Forgets the headers set so far. Only before {@link #committed}. */
  void reset();

  /**
   * Sends the status, the headers and {@code body}, and ends the answer. Without a {@code
   * Content-Length} header, the body's length is sent, except for a status that has no body (204,
   * 304). To a HEAD request, and with such a status, the body itself is not sent, and a {@code
   * Content-Length} set stays as set (a HEAD's is the length a GET would get).
   */
  void respond(int status, byte[] body) throws IOException;

  /**
   * Sends the status and the headers, and returns the body's stream; closing it ends the answer.
   * With a {@code Content-Length} header, exactly that many bytes must be written; without one, the
   * body is sent chunked.
   */
  OutputStream respondStreaming(int status) throws IOException;
}
