package io.mps3.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a {@link Session} into an opaque session token and opens it again: AES-256-GCM with a
 * configured key, so any gateway instance holding the key serves the token and no store of sessions
 * is needed. Token: {@code m1.<keyId>.<base64url(nonce | ciphertext | tag)>}; the version and key
 * id are authenticated as associated data. The first configured key seals, every key opens, so a
 * new key is rolled out first as second, then made first, and the old one dropped once the longest
 * session has expired. Thread-safe.
 */
final class SessionSealer {

  private static final String VERSION = "m1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final List<GatewayConfig.SealingKey> keys;
  private final SecureRandom random = new SecureRandom();

  /**
   * Tokens already opened, by their text: a caller sends the same token with every request of its
   * session, and opening it (AES-GCM, JSON) was half the cost of checking a request's signature. A
   * token equal to one that opened is the same sealed bytes, so it opens to the same session; the
   * keys are fixed for this sealer's life. Only tokens that opened are remembered, and expiry stays
   * the caller's check on every request.
   */
  private final RecentValues<String, Session> opened = new RecentValues<>(4096);

  SessionSealer(List<GatewayConfig.SealingKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no sealing key");
    }
    this.keys = List.copyOf(keys);
  }

  /** The session token for a session. */
  String seal(Session session) {
    GatewayConfig.SealingKey key = keys.get(0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("akid", session.accessKeyId());
    body.put("secret", session.secretAccessKey());
    body.put("iss", session.issuer());
    body.put("sub", session.subject());
    body.put("role", session.role());
    body.put("name", session.sessionName());
    body.put("exp", session.expiresAt().getEpochSecond());
    body.put("claims", session.claims());
    byte[] plain;
    try {
      plain = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("claims that are not JSON values", e);
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, nonce).doFinalQuietly(plain);
    ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length);
    out.put(nonce).put(sealed);
    return VERSION
        + "."
        + key.id()
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  /**
   * The session in a token, or empty when the token was not sealed by one of the keys or was
   * changed since (forged, tampered, truncated, or sealed with a key since retired). Expiry is the
   * caller's to check.
   */
  Optional<Session> open(String token) {
    Session known = opened.get(token);
    if (known != null) {
      return Optional.of(known);
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      return Optional.empty();
    }
    GatewayConfig.SealingKey key = null;
    for (GatewayConfig.SealingKey candidate : keys) {
      if (candidate.id().equals(parts[1])) {
        key = candidate;
      }
    }
    if (key == null) {
      return Optional.empty();
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(parts[2]);
      if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
        return Optional.empty();
      }
      byte[] nonce = java.util.Arrays.copyOf(raw, NONCE_BYTES);
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce).cipher;
      byte[] plain = cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      Session session = session(plain);
      opened.put(token, session);
      return Optional.of(session);
    } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  @SuppressWarnings("unchecked")
  private static Session session(byte[] plain) throws IOException {
    Map<String, Object> body = JSON.readValue(plain, Map.class);
    return new Session(
        text(body, "akid"),
        text(body, "secret"),
        text(body, "iss"),
        text(body, "sub"),
        text(body, "role"),
        text(body, "name"),
        Instant.ofEpochSecond(number(body, "exp")),
        // Unmodifiable: the session is shared by every request that sends its token.
        Collections.unmodifiableMap((Map<String, Object>) body.getOrDefault("claims", Map.of())));
  }

  private static long number(Map<String, Object> body, String name) throws IOException {
    if (!(body.get(name) instanceof Number value)) {
      throw new IOException("session without " + name);
    }
    return value.longValue();
  }

  private static String text(Map<String, Object> body, String name) throws IOException {
    Object value = body.get(name);
    if (!(value instanceof String text)) {
      throw new IOException("session without " + name);
    }
    return text;
  }

  private static Sealing cipher(int mode, GatewayConfig.SealingKey key, byte[] nonce) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD((VERSION + "." + key.id()).getBytes(StandardCharsets.UTF_8));
      return new Sealing(cipher);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES-GCM", e);
    }
  }

  /** A cipher ready to seal or open. */
  private record Sealing(Cipher cipher) {
    byte[] doFinalQuietly(byte[] input) {
      try {
        return cipher.doFinal(input);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM failed to seal", e);
      }
    }
  }
}
