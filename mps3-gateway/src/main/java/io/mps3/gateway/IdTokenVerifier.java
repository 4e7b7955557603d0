package io.mps3.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies OpenID Connect ID tokens against the configured issuers: the signature with the issuer's
 * published keys (JWKS), the issuer, the audience, the expiry (60 s of clock skew) and the presence
 * of {@code sub}. Keys are fetched through Nimbus's {@code JWKSourceBuilder}: cached (5 minutes,
 * refreshed ahead of expiry), fetched again at once, rate-limited, when a token names a key id not
 * in the cache (the issuer rotated its keys), retried once on a network error. An issuer's JWKS URL
 * is discovered from its metadata on first use when the config does not give it. Thread-safe.
 */
final class IdTokenVerifier {

  /** Why a token was refused, with the STS error code it maps to. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final String reason;

    Rejected(String code, String reason) {
      super(reason);
      this.code = code;
      this.reason = reason;
    }

    Rejected(String code, String reason, Throwable cause) {
      super(reason, cause);
      this.code = code;
      this.reason = reason;
    }

    String code() {
      return code;
    }

    String reason() {
      return reason;
    }
  }

  /**
   * A verified token.
   *
   * @param claims every claim of the token
   * @param audience the configured audience the token matched
   */
  record Verified(JWTClaimsSet claims, String audience) {}

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Map<String, GatewayConfig.Issuer> issuers = new HashMap<>();
  private final Map<String, DefaultJWTProcessor<SecurityContext>> processors =
      new ConcurrentHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  IdTokenVerifier(List<GatewayConfig.Issuer> issuers) {
    for (GatewayConfig.Issuer issuer : issuers) {
      this.issuers.put(issuer.issuer(), issuer);
    }
  }

  /**
   * Verifies a token.
   *
   * @throws Rejected naming the STS error code: {@code InvalidIdentityToken}, {@code
   *     ExpiredTokenException} or {@code IDPCommunicationError}
   */
  Verified verify(String token) throws Rejected {
    JWT jwt;
    String issuerName;
    try {
      jwt = JWTParser.parse(token);
      issuerName = jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException e) {
      throw new Rejected("InvalidIdentityToken", "the web identity token is not a JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new Rejected("InvalidIdentityToken", "the web identity token is not signed");
    }
    GatewayConfig.Issuer issuer = issuerName == null ? null : issuers.get(issuerName);
    if (issuer == null) {
      throw new Rejected(
          "InvalidIdentityToken",
          "the web identity token's issuer is not one this gateway trusts: " + issuerName);
    }
    JWTClaimsSet claims;
    try {
      claims = processor(issuer).process(signed, null);
    } catch (ExpiredJWTException e) {
      throw new Rejected("ExpiredTokenException", "the web identity token has expired");
    } catch (BadJWTException e) {
      throw new Rejected(
          "InvalidIdentityToken",
          "the web identity token's claims are not accepted (audience "
              + issuer.audiences()
              + ", issuer, sub, times): "
              + e.getMessage());
    } catch (BadJOSEException e) {
      throw new Rejected(
          "InvalidIdentityToken",
          "the web identity token's signature does not verify with the keys of " + issuerName);
    } catch (JOSEException e) {
      throw new Rejected(
          "IDPCommunicationError", "cannot fetch the signing keys of " + issuerName + ": " + e, e);
    }
    String matched = null;
    for (String audience : claims.getAudience()) {
      if (issuer.audiences().contains(audience)) {
        matched = audience;
      }
    }
    if (matched == null) {
      throw new Rejected("InvalidIdentityToken", "the web identity token's audience is refused");
    }
    return new Verified(claims, matched);
  }

  private DefaultJWTProcessor<SecurityContext> processor(GatewayConfig.Issuer issuer)
      throws Rejected {
    DefaultJWTProcessor<SecurityContext> known = processors.get(issuer.issuer());
    if (known != null) {
      return known;
    }
    URI jwks = issuer.jwksUri() != null ? issuer.jwksUri() : discover(issuer.issuer());
    JWKSource<SecurityContext> keys;
    try {
      URL url = jwks.toURL();
      keys = JWKSourceBuilder.<SecurityContext>create(url).retrying(true).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new Rejected(
          "IDPCommunicationError", "the JWKS URL of " + issuer.issuer() + " is not a URL", e);
    }
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (String name : issuer.algorithms()) {
      algorithms.add(JWSAlgorithm.parse(name));
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            new HashSet<>(issuer.audiences()),
            new JWTClaimsSet.Builder().issuer(issuer.issuer()).build(),
            Set.of("sub", "exp", "iat"),
            null));
    DefaultJWTProcessor<SecurityContext> raced = processors.putIfAbsent(issuer.issuer(), processor);
    return raced == null ? processor : raced;
  }

  /** The issuer's JWKS URL, from its OpenID metadata. */
  private URI discover(String issuer) throws Rejected {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI metadata = URI.create(base + "/.well-known/openid-configuration");
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IOException("status " + response.statusCode());
      }
      JsonNode document = JSON.readTree(response.body());
      if (!issuer.equals(document.path("issuer").asText())) {
        throw new IOException("its metadata names another issuer");
      }
      String jwks = document.path("jwks_uri").asText("");
      if (jwks.isEmpty()) {
        throw new IOException("its metadata has no jwks_uri");
      }
      return URI.create(jwks);
    } catch (IOException | IllegalArgumentException e) {
      throw new Rejected(
          "IDPCommunicationError", "cannot read the metadata of " + issuer + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Rejected("IDPCommunicationError", "interrupted reading " + metadata, e);
    }
  }
}
