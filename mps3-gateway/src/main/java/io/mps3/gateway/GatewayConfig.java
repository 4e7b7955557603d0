package io.mps3.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's configuration, as read from its YAML file by {@link GatewayConfigLoader}. Secrets
 * (sealing keys, the upstream secret) are already resolved from their {@code env:} or {@code file:}
 * references; {@link #toString()} of the records holding them never shows them.
 *
 * @param source where the config was read from, for errors
 * @param listenHost the address to listen on
 * @param listenPort the port to listen on, 0 for a free one
 * @param region the SigV4 region clients sign for
 * @param clockSkew how far a request's time may be from the gateway's clock
 * @param sts the web-identity exchange
 * @param issuers the trusted OpenID Connect issuers
 * @param upstream the store behind the gateway
 * @param rules the allow rules, at least one
 * @param cors the browser origins allowed, empty for none
 * @param operations rate limits and the audit log
 * @param validation how manifest writes are checked
 * @param tls the keystore to serve https with, or null for plain http
 * @param addressing the host names whose subdomains are buckets (virtual-hosted requests)
 */
record GatewayConfig(
    String source,
    String listenHost,
    int listenPort,
    String region,
    Duration clockSkew,
    Sts sts,
    List<Issuer> issuers,
    Upstream upstream,
    List<Rule> rules,
    Cors cors,
    OperationsConfig operations,
    ManifestValidationConfig validation,
    @org.jspecify.annotations.Nullable TlsConfig tls,
    Addressing addressing) {

  /**
   * The STS side.
   *
   * @param roleArns the role ARNs a caller may name in {@code RoleArn}
   * @param maxSessionDuration the longest credentials lifetime a caller may ask for
   * @param sessionClaims ID-token claims sealed into the session for the rules (sub, iss and aud
   *     always are)
   * @param sealingKeys the keys that seal session tokens: the first seals, all open (rotation)
   * @param revoked the identities whose sessions are refused and to whom none is issued
   */
  record Sts(
      List<String> roleArns,
      Duration maxSessionDuration,
      List<String> sessionClaims,
      List<SealingKey> sealingKeys,
      List<Revocations.Revoked> revoked) {}

  /**
   * A key that seals session tokens.
   *
   * @param id a short name carried in each token, so the right key opens it after a rotation
   * @param key the AES-256 key
   */
  record SealingKey(String id, javax.crypto.SecretKey key) {
    @Override
    public String toString() {
      return "SealingKey[" + id + "]";
    }
  }

  /**
   * A trusted OpenID Connect issuer.
   *
   * @param issuer the issuer URL, matched exactly against the token's {@code iss}
   * @param audiences the accepted {@code aud} values (the app's client ids)
   * @param jwksUri where its keys are, or null to discover them from the issuer's metadata
   * @param algorithms the accepted JWS algorithms
   */
  record Issuer(
      String issuer,
      List<String> audiences,
      @org.jspecify.annotations.Nullable URI jwksUri,
      List<String> algorithms) {}

  /**
   * The store behind the gateway, addressed path-style.
   *
   * @param endpoint scheme, host and port
   * @param region the region the gateway signs upstream requests for
   * @param accessKeyId the gateway's own access key id
   * @param secretAccessKey the gateway's own secret
   * @param trustStore the certificates trusted for an https endpoint, or null for the JVM's
   */
  record Upstream(
      URI endpoint,
      String region,
      String accessKeyId,
      String secretAccessKey,
      java.security.@org.jspecify.annotations.Nullable KeyStore trustStore) {

    /** A store whose https certificate (if any) the JVM trusts. */
    Upstream(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
      this(endpoint, region, accessKeyId, secretAccessKey, null);
    }

    @Override
    public String toString() {
      return "Upstream[" + endpoint + ", " + region + ", " + accessKeyId + "]";
    }
  }

  /**
   * An allow rule.
   *
   * @param name what the rule is called in denials and (later) the audit log
   * @param allow the CEL expression; the request passes when any rule's is true
   * @param line the rule's line in the config file, for errors
   */
  record Rule(String name, String allow, int line) {}

  /**
   * Cross-origin access for browsers.
   *
   * @param allowedOrigins origins allowed ({@code *} for any), empty for no CORS at all
   * @param maxAge how long a browser may cache a preflight answer
   */
  record Cors(List<String> allowedOrigins, Duration maxAge) {}
}
