package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SessionSealerTest {

  private static final GatewayConfig.SealingKey OLD = key("old", 1);
  private static final GatewayConfig.SealingKey NEW = key("new", 2);
  private static final Session SESSION =
      new Session(
          "ASIAEXAMPLE",
          "secret",
          "https://issuer",
          "alice",
          "arn:aws:iam::1:role/r",
          "app",
          Instant.parse("2030-01-01T00:00:00Z"),
          Map.of("roles", List.of("admin"), "n", 7));

  @Test
  void open_sealedToken_givesTheSessionBack() {
    SessionSealer sealer = new SessionSealer(List.of(OLD));
    Session opened = sealer.open(sealer.seal(SESSION)).orElseThrow();
    assertThat(opened.accessKeyId()).isEqualTo("ASIAEXAMPLE");
    assertThat(opened.secretAccessKey()).isEqualTo("secret");
    assertThat(opened.expiresAt()).isEqualTo(SESSION.expiresAt());
    assertThat(opened.claims()).containsEntry("roles", List.of("admin"));
    assertThat(opened.toString()).doesNotContain("secret");
  }

  @Test
  void open_aTokenOpenedBefore_opensTheSameAndAChangedCopyStillFails() {
    SessionSealer sealer = new SessionSealer(List.of(OLD));
    String token = sealer.seal(SESSION);
    Session first = sealer.open(token).orElseThrow();
    assertThat(sealer.open(token)).containsSame(first);
    int at = token.length() - 10; // inside the tag, clear of base64's padding bits
    String changed =
        token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    assertThat(sealer.open(changed)).isEmpty();
  }

  @Test
  void open_anyChangedByte_isRefused() {
    SessionSealer sealer = new SessionSealer(List.of(OLD));
    String token = sealer.seal(SESSION);
    String body = token.substring(token.lastIndexOf('.') + 1);
    byte[] raw = Base64.getUrlDecoder().decode(body);
    for (int i = 0; i < raw.length; i += 7) {
      byte[] changed = raw.clone();
      changed[i] ^= 1;
      String forged =
          token.substring(0, token.lastIndexOf('.') + 1)
              + Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
      assertThat(sealer.open(forged)).as("byte %d changed", i).isEmpty();
    }
    assertThat(sealer.open(token.replace("m1.old.", "m1.new."))).isEmpty();
    assertThat(sealer.open("not a token")).isEmpty();
  }

  @Test
  void open_afterRotation_acceptsOldAndNewKeysUntilTheOldIsDropped() {
    String oldToken = new SessionSealer(List.of(OLD)).seal(SESSION);
    SessionSealer rotated = new SessionSealer(List.of(NEW, OLD));
    String newToken = rotated.seal(SESSION);
    assertThat(newToken).startsWith("m1.new.");
    assertThat(rotated.open(oldToken)).isPresent();
    assertThat(rotated.open(newToken)).isPresent();
    assertThat(new SessionSealer(List.of(NEW)).open(oldToken)).isEmpty();
  }

  private static GatewayConfig.SealingKey key(String id, int fill) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) fill);
    return new GatewayConfig.SealingKey(id, new SecretKeySpec(bytes, "AES"));
  }
}
