package io.mps3.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The STS side of {@link GatewayHandler}: which requests are STS actions, their parameters (query
 * and form), and the rate limit of each client address before {@link StsService} verifies a token.
 */
final class StsRequests {

  private static final int MAX_STS_BODY = 64 * 1024;

  private StsRequests() {}

  /** Whether a request is an STS action (unsigned, at {@code /}), not an S3 one. */
  static boolean isSts(IncomingRequest in) {
    if (!in.rawPath().equals("/") || in.header("authorization") != null) {
      return false;
    }
    List<SigV4.Parameter> query;
    try {
      query = SigV4.parseQuery(in.rawQuery());
    } catch (IllegalArgumentException e) {
      return in.method().equals("POST");
    }
    if (SigV4Verifier.presigned(query)) {
      return false;
    }
    return in.method().equals("POST") || query.stream().anyMatch(p -> p.name().equals("Action"));
  }

  /**
   * Answers an STS request: STS's own throttling answer (which the AWS SDKs back off on) when its
   * client address is over the limit, else the service's answer. The caller is known only once its
   * ID token is verified, so the limit is per address: behind a load balancer, every caller shares
   * the balancer's.
   */
  static StsService.Answer answer(
      StsService sts, Operations operations, IncomingRequest in, Exchange exchange)
      throws IOException {
    Duration wait = operations.admitSts(exchange.remoteAddress());
    if (!wait.isZero()) {
      exchange.setHeader("Retry-After", Operations.retryAfter(wait));
      return new StsService.Answer(
          XmlAnswer.stsError(400, "Throttling", "Rate exceeded"),
          null,
          "Throttling: over the rate limit of this address");
    }
    try {
      return sts.answer(parameters(in, exchange.body()));
    } catch (IllegalArgumentException e) {
      String reason = "bad percent-encoding";
      return new StsService.Answer(
          XmlAnswer.stsError(400, "MalformedQueryString", reason),
          null,
          "MalformedQueryString: " + reason);
    }
  }

  private static Map<String, String> parameters(IncomingRequest in, InputStream from)
      throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (SigV4.Parameter p : SigV4.parseQuery(in.rawQuery())) {
      out.put(p.name(), p.value());
    }
    String type = in.header("content-type");
    if (in.method().equals("POST")
        && type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = from.read(buffer)) >= 0; ) {
        body.write(buffer, 0, n);
        if (body.size() > MAX_STS_BODY) {
          throw new IOException("an STS request over 64 KiB");
        }
      }
      for (SigV4.Parameter p : SigV4.parseQuery(body.toString(StandardCharsets.UTF_8))) {
        out.put(p.name(), p.value());
      }
    }
    return out;
  }
}
