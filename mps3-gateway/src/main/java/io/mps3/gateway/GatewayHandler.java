package io.mps3.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's one HTTP handler: CORS preflights, the STS action, and S3 requests (signature, then
 * rules, then upstream), each answered with the store's own status, headers and streamed body, or
 * with the gateway's XML error. Blocking: the server runs it on the caller's connection thread.
 * Thread-safe.
 */
final class GatewayHandler implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GatewayHandler.class.getName());

  /** Request headers that would widen what a request does beyond what the rules see. */
  private static final List<String> REFUSED_HEADERS =
      List.of(
          "x-amz-copy-source", "x-amz-acl", "x-amz-grant-", "x-amz-bypass-governance-retention");

  private static final Duration SECOND = Duration.ofSeconds(1);

  private final StsService sts;
  private final SigV4Verifier verifier;
  private final Rules rules;
  private final Upstream upstream;
  private final Cors cors;
  private final Addressing addressing;
  private final Operations operations;
  private final ManifestWrites writes;
  private final BulkDeletes bulkDeletes;
  private final GatewayAnswers answers;

  GatewayHandler(
      StsService sts,
      SigV4Verifier verifier,
      Rules rules,
      Upstream upstream,
      Cors cors,
      Addressing addressing,
      Operations operations,
      Clock clock,
      ManifestWrites writes) {
    this.sts = sts;
    this.verifier = verifier;
    this.rules = rules;
    this.upstream = upstream;
    this.cors = cors;
    this.addressing = addressing;
    this.operations = operations;
    this.writes = writes;
    this.bulkDeletes = new BulkDeletes(rules, writes);
    this.answers = new GatewayAnswers(operations, clock);
  }

  /** Closes the connections to the store and the manifest reader's resources. */
  @Override
  public void close() {
    writes.close();
    upstream.close();
  }

  /**
   * Answers one request, with the gateway's 500 if anything fails before the answer began.
   *
   * @throws IOException when the answer failed after it began: the caller's connection must close
   */
  void handle(Exchange exchange) throws IOException {
    try {
      IncomingRequest in = exchange.request();
      String origin = cors.allowedOrigin(in);
      Addressing.Addressed addressed;
      try {
        addressed = addressing.of(in);
      } catch (Addressing.InvalidBucket e) {
        operations.refused(null, new S3Operation("Other", "", "", ""), "rejected", "bad host", 400);
        answer(
            exchange,
            XmlAnswer.s3Error(400, "InvalidBucketName", String.valueOf(e.getMessage()), "/"));
        return;
      }
      // On a bucket's host every request is S3: the gateway's own endpoints are on its domain.
      if (!addressed.virtualHosted() && Operations.isEndpoint(in)) {
        operations.answerEndpoint(in, exchange);
      } else if (Cors.preflight(in)) {
        if (origin == null) {
          answer(exchange, XmlAnswer.accessDenied("this origin is not allowed", in.rawPath()));
        } else {
          cors.preflightHeaders(origin, in).forEach(exchange::setHeader);
          exchange.setHeader("Date", answers.httpDate());
          exchange.respond(200, new byte[0]);
        }
      } else {
        if (origin != null) {
          Cors.answerHeaders(origin).forEach(exchange::setHeader);
        }
        if (!addressed.virtualHosted() && StsRequests.isSts(in)) {
          StsService.Answer answer = StsRequests.answer(sts, operations, in, exchange);
          operations.stsAnswered(answer);
          answer(exchange, answer.xml());
        } else {
          s3(addressed, exchange);
        }
      }
    } catch (Throwable failure) {
      LOG.log(Level.WARNING, "gateway request failed: " + failure, failure);
      if (!exchange.committed()) {
        exchange.reset();
        try {
          answer(exchange, XmlAnswer.s3Error(500, "InternalError", "the gateway failed", "/"));
          return;
        } catch (IOException | RuntimeException again) {
          failure.addSuppressed(again);
        }
      }
      throw new IOException("the answer failed after it began", failure);
    }
  }

  private void s3(Addressing.Addressed addressed, Exchange exchange) throws Exception {
    // The signature covers the request as sent; every step after it reads the path-style view.
    IncomingRequest in = addressed.pathStyle();
    SigV4Verifier.Verified verified;
    try {
      verified = verifier.verify(addressed.sent());
    } catch (SigV4Verifier.Denied e) {
      operations.refused(null, Operations.classifyQuietly(in), "denied", e.reason(), 403);
      answer(exchange, XmlAnswer.accessDenied(e.reason(), in.rawPath()));
      return;
    } catch (SigV4Verifier.Unsupported e) {
      operations.refused(null, Operations.classifyQuietly(in), "unsupported", e.reason(), 501);
      answer(exchange, XmlAnswer.s3Error(501, "NotImplemented", e.reason(), in.rawPath()));
      return;
    }
    List<SigV4.Parameter> query = SigV4.parseQuery(in.rawQuery());
    String decodedPath = SigV4.decode(in.rawPath(), false);
    for (String name : in.headers().keySet()) {
      for (String refused : REFUSED_HEADERS) {
        if (name.startsWith(refused)) {
          operations.refused(
              verified.session(),
              Operations.classifyQuietly(in),
              "denied",
              "the header " + name + " is not passed",
              403);
          answer(
              exchange,
              XmlAnswer.accessDenied(
                  "the header " + name + " is not passed by the gateway yet", in.rawPath()));
          return;
        }
      }
    }
    S3Operation operation = S3Operation.of(in.method(), decodedPath, query);
    if (operation.name().equals("Other")) {
      operations.refused(verified.session(), operation, "denied", "not a named operation", 403);
      answer(
          exchange,
          XmlAnswer.accessDenied(
              "the gateway does not pass this kind of request ("
                  + in.method()
                  + " with these"
                  + " sub-resources) yet",
              in.rawPath()));
      return;
    }
    Duration wait = operations.admit(verified.session());
    if (!wait.isZero()) {
      answers.throttled(exchange, verified.session(), operation, "over the rate limit", wait, in);
      return;
    }
    if (!operations.enter(verified.session())) {
      answers.throttled(
          exchange, verified.session(), operation, "too many in progress", SECOND, in);
      return;
    }
    try { // each request in progress holds a connection thread: a caller's count is capped
      ManifestObject object = operation.manifestObject();
      Rules.Decision decision =
          rules.decide(verified.session(), operation, object == null ? "" : object.manifest());
      if (!decision.allowed()) {
        operations.refused(verified.session(), operation, "denied", "no rule allows it", 403);
        answer(
            exchange,
            XmlAnswer.accessDenied(
                "no rule allows "
                    + operation.name()
                    + " on "
                    + operation.bucket()
                    + "/"
                    + operation.key()
                    + " for this caller",
                in.rawPath()));
        return;
      }
      long length = in.contentLength();
      Map<String, List<String>> headers = in.headers();
      InputStream source = exchange.body();
      String payloadHash = verified.payloadHash();
      if (ChunkedUpload.supported(payloadHash)) {
        try {
          ChunkedUpload chunked = ChunkedUpload.open(in, payloadHash, verified.seed(), source);
          length = chunked.length();
          headers = chunked.headers();
          source = chunked.body();
          payloadHash = SigV4.UNSIGNED_PAYLOAD; // the decoder checks the chunks as they stream
        } catch (AwsChunkedDecoder.Refused e) {
          answers.refuseChunked(verified.session(), operation, e, in, exchange);
          return;
        }
      }
      if (length < 0 && (in.method().equals("PUT") || in.method().equals("POST"))) {
        operations.refused(verified.session(), operation, "rejected", "no Content-Length", 411);
        answer(
            exchange,
            XmlAnswer.s3Error(411, "MissingContentLength", "send a Content-Length", in.rawPath()));
        return;
      }
      BulkDeletes.Checked bulk = null;
      if (operation.name().equals("DeleteObjects")) { // each key checked as its DeleteObject
        InputStream read = source;
        BulkDeletes.Outcome outcome =
            bulkDeletes.check(
                verified.session(), operation, headers, length, payloadHash, () -> read);
        if (outcome instanceof BulkDeletes.Refused refused) {
          operations.refused(
              verified.session(),
              refused.audited(),
              refused.decision(),
              refused.reason(),
              refused.answer().status());
          answer(exchange, refused.answer());
          return;
        }
        bulk = (BulkDeletes.Checked) outcome;
      }
      ManifestWrites.Outcome checked;
      try {
        InputStream read = source;
        checked =
            writes.check(
                verified.session(),
                operation,
                in.header("if-none-match"),
                length,
                payloadHash,
                () -> read);
      } catch (IOException e) {
        Throwable refused = causedBy(e, AwsChunkedDecoder.Refused.class);
        if (refused == null) {
          throw e;
        }
        answers.refuseChunked(
            verified.session(), operation, (AwsChunkedDecoder.Refused) refused, in, exchange);
        return;
      }
      XmlAnswer refusal = checked.refusal();
      if (refusal != null) {
        operations.refused(
            verified.session(), operation, "denied", "manifest write refused", refusal.status());
        answer(exchange, refusal);
        return;
      }
      byte[] checkedBody = bulk != null ? bulk.body() : checked.body();
      InputStream body = null;
      if (checkedBody != null) {
        body = new ByteArrayInputStream(checkedBody);
      } else if (length > 0) {
        body = source;
        if (!payloadHash.equals(SigV4.UNSIGNED_PAYLOAD)) {
          body = new PayloadCheckingStream(source, length, payloadHash);
        }
      }
      Upstream.Answer answer;
      long sent = System.nanoTime();
      try {
        answer =
            upstream.send(
                in.method(),
                SigV4.encodePath(decodedPath),
                query,
                bulk != null ? bulk.headers() : headers,
                body,
                Math.max(length, 0),
                bulk != null ? bulk.payloadHash() : payloadHash);
      } catch (IOException e) {
        Throwable mismatch = causedBy(e, PayloadCheckingStream.Mismatch.class);
        Throwable refused = causedBy(e, AwsChunkedDecoder.Refused.class);
        if (refused != null) {
          answers.refuseChunked(
              verified.session(), operation, (AwsChunkedDecoder.Refused) refused, in, exchange);
        } else if (mismatch != null) {
          operations.refused(
              verified.session(), operation, "rejected", "body unlike its hash", 400);
          exchange.setHeader("Connection", "close"); // the rest of the body is not read
          answer(
              exchange,
              XmlAnswer.s3Error(
                  400,
                  "XAmzContentSHA256Mismatch",
                  String.valueOf(mismatch.getMessage()),
                  in.rawPath()));
        } else {
          LOG.log(Level.WARNING, "the upstream store did not answer: " + e);
          operations.refused(verified.session(), operation, "failed", "no upstream answer", 503);
          if (length > 0) {
            exchange.setHeader("Connection", "close"); // the body may not be read to its end
          }
          answer(
              exchange,
              XmlAnswer.s3Error(
                  503, "ServiceUnavailable", "the upstream store did not answer", in.rawPath()));
        }
        return;
      }
      try { // the body closed whatever happens: its connection with it
        operations.allowed(
            verified.session(),
            operation,
            decision.rule(),
            answer.status(),
            System.nanoTime() - sent);
        AnswerForwarder.forward(answer, exchange);
      } catch (AnswerForwarder.BrokenAnswer e) {
        LOG.log(Level.WARNING, e.getMessage());
        // After the rule's "allowed" line (with the store's status): what the caller got instead.
        operations.refused(verified.session(), operation, "failed", "answer broke off", 503);
        answer(
            exchange,
            XmlAnswer.s3Error(
                503, "ServiceUnavailable", "the upstream store's answer broke off", in.rawPath()));
      } finally {
        answer.body().close();
      }
    } finally {
      operations.leave(verified.session());
    }
  }

  private static @Nullable Throwable causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  private void answer(Exchange exchange, XmlAnswer answer) throws IOException {
    answers.xml(exchange, answer);
  }
}
