package io.mps3.gateway;

import com.nimbusds.jwt.JWTClaimsSet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The STS query action {@code AssumeRoleWithWebIdentity}: checks the parameters as AWS does,
 * verifies the ID token, and answers temporary credentials whose session token is the sealed
 * session, in AWS's XML, so the AWS SDKs' web-identity providers work unchanged. Errors are STS
 * {@code ErrorResponse} documents; none holds the token. Thread-safe.
 */
final class StsService {

  static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private final GatewayConfig.Sts config;
  private final IdTokenVerifier verifier;
  private final SessionSealer sealer;
  private final Revocations revocations;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  StsService(
      GatewayConfig.Sts config,
      IdTokenVerifier verifier,
      SessionSealer sealer,
      Revocations revocations,
      Clock clock) {
    this.config = config;
    this.verifier = verifier;
    this.sealer = sealer;
    this.revocations = revocations;
    this.clock = clock;
  }

  /**
   * An STS answer, and for the audit log the session it issued (null when refused) or why it
   * refused (the error's code and message). None of them holds the ID token.
   */
  record Answer(XmlAnswer xml, @Nullable Session session, String reason) {}

  private static Answer refused(int status, String code, String message) {
    return new Answer(XmlAnswer.stsError(status, code, message), null, code + ": " + message);
  }

  /** Answers one STS request, given its decoded query and form parameters. */
  Answer answer(Map<String, String> parameters) {
    Answer refused = refusal(parameters);
    if (refused != null) {
      return refused;
    }
    IdTokenVerifier.Verified verified;
    try {
      verified = verifier.verify(parameters.getOrDefault("WebIdentityToken", ""));
    } catch (IdTokenVerifier.Rejected e) {
      return refused(400, e.code(), e.reason());
    }
    JWTClaimsSet claims = verified.claims();
    if (revocations.revoked(claims.getIssuer(), claims.getSubject())) {
      return refused(403, "AccessDenied", "the sessions of this identity are revoked");
    }
    Duration duration =
        Duration.ofSeconds(Long.parseLong(parameters.getOrDefault("DurationSeconds", "3600")));
    Instant expires = clock.instant().plus(duration).truncatedTo(ChronoUnit.SECONDS);
    Session session =
        new Session(
            "ASIA" + base32(16),
            Base64.getEncoder().encodeToString(bytes(30)),
            claims.getIssuer(),
            claims.getSubject(),
            parameters.getOrDefault("RoleArn", ""),
            parameters.getOrDefault("RoleSessionName", ""),
            expires,
            sessionClaims(claims, verified.audience()));
    return new Answer(
        new XmlAnswer(200, success(session, sealer.seal(session), verified.audience())),
        session,
        "");
  }

  /** The error answer of a request whose parameters AWS would refuse; null when they pass. */
  private @Nullable Answer refusal(Map<String, String> parameters) {
    String action = parameters.get("Action");
    if (!"AssumeRoleWithWebIdentity".equals(action)) {
      return refused(
          400,
          action == null ? "MissingAction" : "InvalidAction",
          "this gateway answers only Action=AssumeRoleWithWebIdentity");
    }
    String version = parameters.get("Version");
    if (version != null && !"2011-06-15".equals(version)) {
      return refused(400, "InvalidParameterValue", "Version must be 2011-06-15");
    }
    for (String required : List.of("RoleArn", "RoleSessionName", "WebIdentityToken")) {
      if (parameters.getOrDefault(required, "").isEmpty()) {
        return refused(
            400, "MissingParameter", "the request must contain the parameter " + required);
      }
    }
    String role = parameters.getOrDefault("RoleArn", "");
    String sessionName = parameters.getOrDefault("RoleSessionName", "");
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      return refused(400, "ValidationError", "RoleSessionName must be 2-64 of [A-Za-z0-9_+=,.@-]");
    }
    Duration duration;
    try {
      duration =
          Duration.ofSeconds(Long.parseLong(parameters.getOrDefault("DurationSeconds", "3600")));
    } catch (NumberFormatException e) {
      return refused(400, "ValidationError", "DurationSeconds must be a number");
    }
    if (duration.compareTo(Duration.ofMinutes(15)) < 0) {
      return refused(400, "ValidationError", "DurationSeconds must be at least 900");
    }
    if (duration.compareTo(config.maxSessionDuration()) > 0) {
      return refused(
          400,
          "ValidationError",
          "the requested DurationSeconds exceeds the MaxSessionDuration of this role ("
              + config.maxSessionDuration().toSeconds()
              + ")");
    }
    if (!config.roleArns().contains(role)) {
      return refused(
          403, "AccessDenied", "not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
    return null;
  }

  /** The claims the rules may read: sub, iss, the matched aud, and the configured extra ones. */
  private Map<String, Object> sessionClaims(JWTClaimsSet claims, String audience) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sub", claims.getSubject());
    out.put("iss", claims.getIssuer());
    out.put("aud", audience);
    for (String name : config.sessionClaims()) {
      Object value = claims.getClaim(name);
      if (value instanceof Date date) {
        out.put(name, date.toInstant().getEpochSecond());
      } else if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }

  private static String success(Session session, String token, String audience) {
    String roleName = session.role().substring(session.role().lastIndexOf('/') + 1);
    String account = session.role().split(":", -1)[4];
    return XmlAnswer.write(
        w -> {
          w.writeStartElement("AssumeRoleWithWebIdentityResponse");
          w.writeDefaultNamespace(NAMESPACE);
          w.writeStartElement("AssumeRoleWithWebIdentityResult");
          XmlAnswer.element(w, "SubjectFromWebIdentityToken", session.subject());
          XmlAnswer.element(w, "Audience", audience);
          w.writeStartElement("AssumedRoleUser");
          XmlAnswer.element(
              w,
              "Arn",
              "arn:aws:sts::"
                  + account
                  + ":assumed-role/"
                  + roleName
                  + "/"
                  + session.sessionName());
          XmlAnswer.element(
              w, "AssumedRoleId", session.accessKeyId() + ":" + session.sessionName());
          w.writeEndElement();
          w.writeStartElement("Credentials");
          XmlAnswer.element(w, "SessionToken", token);
          XmlAnswer.element(w, "SecretAccessKey", session.secretAccessKey());
          XmlAnswer.element(w, "Expiration", session.expiresAt().toString());
          XmlAnswer.element(w, "AccessKeyId", session.accessKeyId());
          w.writeEndElement();
          XmlAnswer.element(w, "Provider", session.issuer());
          w.writeEndElement();
          w.writeStartElement("ResponseMetadata");
          XmlAnswer.element(w, "RequestId", java.util.UUID.randomUUID().toString());
          w.writeEndElement();
          w.writeEndElement();
        });
  }

  private String base32(int length) {
    byte[] raw = bytes(length);
    StringBuilder out = new StringBuilder(length);
    for (byte b : raw) {
      out.append(BASE32[(b & 0xff) % 32]);
    }
    return out.toString();
  }

  private byte[] bytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }
}
