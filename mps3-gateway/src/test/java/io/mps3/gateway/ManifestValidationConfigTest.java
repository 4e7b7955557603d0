package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestValidationConfigTest {

  private static final Map<String, String> ENV =
      Map.of(
          "SEALING_KEY",
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
          "UPSTREAM_SECRET",
          "upstream-secret-value");

  @Test
  void validationSection_readsSizesAndTheTrustedRule_andNamesWhatIsWrong() {
    assertThat(parse("").validation()).isEqualTo(ManifestValidationConfig.DEFAULTS);
    String good =
        "validation:\n  trustedRule: own-keys\n  maxEntryBytes: 64k\n  maxValueBytes: 16m\n";
    assertThat(parse(good).validation())
        .isEqualTo(new ManifestValidationConfig("own-keys", 64 << 10, 16 << 20));
    assertThatThrownBy(() -> parse(good.replace("own-keys", "admins")))
        .hasMessage("gateway.yaml line 20: validation.trustedRule names no rule: admins");
    assertThatThrownBy(() -> parse(good.replace("64k", "lots")))
        .hasMessageStartingWith("gateway.yaml line 21: validation.maxEntryBytes must be a size");
    assertThatThrownBy(() -> parse(good.replace("64k", "65m")))
        .hasMessage("gateway.yaml line 21: validation.maxEntryBytes is buffered: at most 64m");
  }

  private static GatewayConfig parse(String validation) {
    return GatewayConfigLoader.parse(
        GatewayConfigLoaderTest.GOOD + validation, "gateway.yaml", Path.of("."), ENV);
  }
}
