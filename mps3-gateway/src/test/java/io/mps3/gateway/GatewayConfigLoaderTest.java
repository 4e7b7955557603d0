package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigLoaderTest {

  private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  private static final Map<String, String> ENV =
      Map.of("SEALING_KEY", KEY, "UPSTREAM_SECRET", "upstream-secret-value");

  static final String GOOD =
      """
      listen: 127.0.0.1:0
      clockSkew: 5m
      sts:
        roleArns: [arn:aws:iam::000000000000:role/mps3-user]
        sessionClaims: [roles]
        sealingKeys:
          - id: k1
            secret: env:SEALING_KEY
      issuers:
        - issuer: http://127.0.0.1:1/default
          audiences: [mps3-app]
      upstream:
        endpoint: http://127.0.0.1:2
        accessKeyId: gateway
        secretAccessKey: env:UPSTREAM_SECRET
      rules:
        - name: own-keys
          allow: request.key.startsWith('users/' + claims.sub + '/')
      """;

  @Test
  void parse_goodConfig_readsEveryOption() {
    GatewayConfig config = parse(GOOD);
    assertThat(config.listenPort()).isZero();
    assertThat(config.clockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.sts().sealingKeys()).hasSize(1);
    assertThat(config.upstream().secretAccessKey()).isEqualTo("upstream-secret-value");
    assertThat(config.upstream().toString()).doesNotContain("upstream-secret-value");
    assertThat(config.rules().get(0).line()).isEqualTo(18);
    assertThat(config.issuers().get(0).algorithms()).containsExactly("RS256", "ES256");
  }

  @Test
  void parse_revokedIdentities_areRevokedAtTheirIssuerOrEverywhere() {
    String revoking =
        """
          revoked:
            - subject: mallory
            - subject: eve
              issuer: http://127.0.0.1:1/default
          sealingKeys:\
        """;
    GatewayConfig config = parse(GOOD.replace("  sealingKeys:", revoking));
    Revocations revocations = new Revocations(config.sts().revoked());
    assertThat(revocations.revoked("http://any", "mallory")).isTrue();
    assertThat(revocations.revoked("http://127.0.0.1:1/default", "eve")).isTrue();
    assertThat(revocations.revoked("http://other", "eve")).isFalse();
    assertThat(revocations.revoked("http://127.0.0.1:1/default", "alice")).isFalse();
    assertThat(new Revocations(parse(GOOD).sts().revoked()).revoked("i", "mallory")).isFalse();
    assertThatThrownBy(
            () -> parse(GOOD.replace("  sealingKeys:", "  revoked:\n    - sub: x\n  sealingKeys:")))
        .hasMessage(
            "gateway.yaml line 7: unknown option 'sts.revoked[0].sub' (known: issuer, subject)");
    String mistyped = revoking.replace("127.0.0.1:1/default", "127.0.0.1:1/default/");
    assertThatThrownBy(() -> parse(GOOD.replace("  sealingKeys:", mistyped)))
        .hasMessage(
            "gateway.yaml line 9: sts.revoked[1].issuer is none of the issuers:"
                + " http://127.0.0.1:1/default/");
  }

  @Test
  void parse_badConfigs_nameTheLineAndTheProblem() {
    assertThatThrownBy(() -> parse(GOOD.replace("clockSkew: 5m", "clockSkw: 5m")))
        .hasMessageStartingWith("gateway.yaml line 2: unknown option 'clockSkw' (known: ")
        .hasMessageContaining(" clockSkew,");
    assertThatThrownBy(() -> Rules.compile(parse(GOOD.replace("'/')", "'/'"))))
        .hasMessageStartingWith("gateway.yaml line 18: rule 'own-keys' is not valid CEL");
    assertThatThrownBy(() -> parse(GOOD.replace("clockSkew: 5m", "clockSkew: soon")))
        .hasMessageStartingWith("gateway.yaml line 2: clockSkew must be a duration");
    assertThatThrownBy(() -> parse(GOOD.replace("env:SEALING_KEY", "env:NOT_SET")))
        .hasMessage(
            "gateway.yaml line 8: sts.sealingKeys[0].secret: environment variable NOT_SET is not"
                + " set");
    assertThatThrownBy(() -> parse(GOOD.replace("env:UPSTREAM_SECRET", "plain-secret")))
        .hasMessageStartingWith(
            "gateway.yaml line 15: upstream.secretAccessKey must be a reference")
        .hasMessageNotContaining("plain-secret");
    assertThatThrownBy(() -> parse(GOOD.replace("  accessKeyId: gateway\n", "")))
        .hasMessage("gateway.yaml line 13: missing option 'upstream.accessKeyId'");
    String https = "endpoint: https://127.0.0.1:2\n  trustedCertificates: ";
    assertThatThrownBy(() -> parse(GOOD.replace("endpoint: http://127.0.0.1:2", https + "no.pem")))
        .hasMessageStartingWith("gateway.yaml line 14: upstream.trustedCertificates: cannot read ")
        .hasMessageContaining("no.pem");
    assertThatThrownBy(() -> parse(GOOD.replace("endpoint: http://127.0.0.1:2", https + "pom.xml")))
        .hasMessageStartingWith("gateway.yaml line 14: upstream.trustedCertificates: ")
        .hasMessageContaining("pom.xml");
    assertThatThrownBy(() -> parse(GOOD.replace("audiences: [mps3-app]", "audiences: [a")))
        .hasMessageMatching("gateway.yaml line 1[12]: not valid YAML: .*");
  }

  private static GatewayConfig parse(String text) {
    return GatewayConfigLoader.parse(text, "gateway.yaml", Path.of("."), ENV);
  }
}
