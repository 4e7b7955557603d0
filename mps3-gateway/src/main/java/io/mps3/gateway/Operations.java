package io.mps3.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's operations side, in one place for {@link GatewayHandler}: per-caller rate limits,
 * the audit log and the metrics it feeds, and the health and metrics endpoints under {@code
 * /_mps3/} (a path no S3 request can have: bucket names cannot start with {@code _}). Closed with
 * the gateway, which closes the audit log. Thread-safe.
 */
final class Operations implements AutoCloseable {

  /** The path prefix of the gateway's own endpoints. */
  static final String PREFIX = "/_mps3/";

  /** The STS action, as the audit log and the metrics name it. */
  private static final S3Operation STS = new S3Operation("AssumeRoleWithWebIdentity", "", "", "");

  private final @Nullable RateLimiter limiter;
  private final @Nullable RateLimiter stsLimiter;
  private final InFlightLimit inFlight;
  private final AuditLog audit;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final Clock clock;

  /**
   * @throws GatewayConfigException when the audit log cannot be opened
   */
  Operations(OperationsConfig config, Clock clock, LongSupplier nanoTime) {
    OperationsConfig.RateLimit limit = config.rateLimit();
    this.limiter = limit == null ? null : new RateLimiter(limit, nanoTime);
    OperationsConfig.RateLimit stsLimit = config.stsRateLimit();
    this.stsLimiter = stsLimit == null ? null : new RateLimiter(stsLimit, nanoTime);
    this.inFlight = new InFlightLimit(config.maxInFlight());
    this.audit = AuditLog.open(config.audit());
    this.clock = clock;
  }

  /** Whether a request is for the gateway's own endpoints, not for S3 or STS. */
  static boolean isEndpoint(IncomingRequest in) {
    return in.rawPath().startsWith(PREFIX);
  }

  /** Answers {@code /_mps3/health} and {@code /_mps3/metrics}; 404 for other paths below. */
  void answerEndpoint(IncomingRequest in, Exchange exchange) throws IOException {
    int status;
    String type;
    String body;
    if (!in.method().equals("GET") && !in.method().equals("HEAD")) {
      status = 405;
      type = "text/plain; charset=utf-8";
      body = "only GET and HEAD\n";
      exchange.setHeader("Allow", "GET, HEAD");
    } else if (in.rawPath().equals(PREFIX + "health")) {
      // Up means listening and answering; whether the store is reachable shows in the metrics.
      status = 200;
      type = "application/json";
      body = "{\"status\":\"up\"}\n";
    } else if (in.rawPath().equals(PREFIX + "metrics")) {
      status = 200;
      type = "text/plain; version=0.0.4; charset=utf-8";
      body = metrics.text();
    } else {
      status = 404;
      type = "text/plain; charset=utf-8";
      body = "the gateway's endpoints are " + PREFIX + "health and " + PREFIX + "metrics\n";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.setHeader("Content-Type", type);
    exchange.setHeader("Cache-Control", "no-store");
    exchange.respond(status, bytes); // a HEAD gets the length, not the bytes
  }

  /**
   * Takes a request from the caller's rate limit.
   *
   * @return zero when the request may go on, else how long the caller should wait
   */
  Duration admit(Session session) {
    return limiter == null
        ? Duration.ZERO
        : limiter.admit(session.issuer() + " " + session.subject());
  }

  /**
   * Takes a place among the caller's requests in progress; {@link #leave} gives it back.
   *
   * @return false when the caller already has as many in progress as the config allows
   */
  boolean enter(Session session) {
    return inFlight.enter(session.issuer() + " " + session.subject());
  }

  /** Gives back the place {@link #enter} took. */
  void leave(Session session) {
    inFlight.leave(session.issuer() + " " + session.subject());
  }

  /** A {@code Retry-After} value for a throttled request: whole seconds, rounded up, at least 1. */
  static String retryAfter(Duration wait) {
    return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
  }

  /**
   * Takes an STS request from its client address's rate limit: the caller is known only once its ID
   * token is verified, which is the work the limit spares.
   *
   * @return zero when the request may go on, else how long the address should wait
   */
  Duration admitSts(String address) {
    return stsLimiter == null ? Duration.ZERO : stsLimiter.admit(address);
  }

  /**
   * Records a request answered by the gateway itself: denied, throttled or unsupported.
   *
   * @param session the caller, null when the signature did not verify
   */
  void refused(
      @Nullable Session session,
      S3Operation operation,
      String decision,
      String reason,
      int status) {
    record(session, operation, decision, "", reason, status);
  }

  /** Records a request the rules allowed and the store answered. */
  void allowed(
      Session session, S3Operation operation, String rule, int status, long upstreamNanos) {
    metrics.upstreamLatency(upstreamNanos);
    record(session, operation, "allowed", rule, "", status);
  }

  /**
   * Records an STS answer: who got credentials (issuer and subject, from the verified token), or
   * why a request got none; never the token or the credentials.
   */
  void stsAnswered(StsService.Answer answer) {
    Session session = answer.session();
    record(
        session,
        STS,
        session == null ? "denied" : "allowed",
        "",
        answer.reason(),
        answer.xml().status());
  }

  /**
   * Classifies a request whose signature did not verify, for the log and the counters only (the
   * path may not even decode).
   */
  static S3Operation classifyQuietly(IncomingRequest in) {
    try {
      List<SigV4.Parameter> query = SigV4.parseQuery(in.rawQuery());
      return S3Operation.of(in.method(), SigV4.decode(in.rawPath(), false), query);
    } catch (IllegalArgumentException e) {
      return new S3Operation("Other", "", "", "");
    }
  }

  private void record(
      @Nullable Session session,
      S3Operation operation,
      String decision,
      String rule,
      String reason,
      int status) {
    metrics.request(operation.name(), decision);
    // The manifest a key names as one of its log objects (entry, slot, checkpoint, head); a
    // document key names none that its key alone tells.
    ManifestObject object = operation.manifestObject();
    audit.write(
        new AuditLog.Entry(
            clock.instant(),
            session == null ? "" : session.issuer(),
            session == null ? "" : session.subject(),
            operation,
            object == null ? null : object.manifest(),
            decision,
            rule,
            reason,
            status));
  }

  /** Closes the audit log. */
  @Override
  public void close() {
    audit.close();
  }
}
