package io.mps3.gateway;

/**
 * A request the front server refuses before its handler sees it (a malformed or ambiguous head, a
 * head too large, an expectation it cannot meet): the status to answer, after which the connection
 * is closed. The message names the problem and never quotes a header's value (it could be a
 * credential).
 */
final class RequestRefusal extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  RequestRefusal(int status, String reason) {
    super(reason, null, false, false); // an expected outcome: no stack trace to fill
    this.status = status;
    this.reason = reason;
  }

  /** What is wrong with the request, for the answer's message. */
  String reason() {
    return reason;
  }

  /** The status to answer: 400, 417, 431 or 501. */
  int status() {
    return status;
  }
}
