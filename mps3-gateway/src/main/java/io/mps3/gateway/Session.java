package io.mps3.gateway;

import java.time.Instant;
import java.util.Map;

/**
 * What a session token holds once opened: who the caller is, the claims the rules may read, and the
 * temporary credentials it was issued with. {@link #toString()} never shows the secret.
 *
 * @param accessKeyId the temporary access key id ({@code ASIA...}), bound to this token
 * @param secretAccessKey the temporary secret the caller signs with
 * @param issuer the ID token's issuer
 * @param subject the ID token's subject
 * @param role the role ARN the caller assumed
 * @param sessionName the caller's RoleSessionName
 * @param expiresAt when the credentials stop working
 * @param claims the ID-token claims sealed for the rules (JSON values: text, numbers, booleans,
 *     lists, maps)
 */
record Session(
    String accessKeyId,
    String secretAccessKey,
    String issuer,
    String subject,
    String role,
    String sessionName,
    Instant expiresAt,
    Map<String, Object> claims) {

  @Override
  public String toString() {
    return "Session[" + accessKeyId + ", " + issuer + ", " + subject + ", until " + expiresAt + "]";
  }
}
