package io.mps3.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorsRulesTest {

  @Test
  void servesBrowserClients_needsTheMethodsAndExposedHeadersOfTheJavaScriptClient() {
    CorsRules.Rule full =
        new CorsRules.Rule(
            List.of("*"),
            List.of("GET", "PUT", "DELETE", "HEAD"),
            List.of("*"),
            List.of("etag", "x-amz-version-id", "Date"));
    CorsRules.Rule noDelete =
        new CorsRules.Rule(
            List.of("*"),
            List.of("GET", "PUT"),
            List.of("*"),
            List.of("ETag", "X-Amz-Version-Id", "Date"));
    CorsRules.Rule hidesEtag =
        new CorsRules.Rule(
            List.of("*"), List.of("GET", "PUT", "DELETE"), List.of("*"), List.of("Date"));
    assertThat(new CorsRules(List.of(full)).servesBrowserClients()).isTrue();
    assertThat(new CorsRules(List.of(noDelete, hidesEtag)).servesBrowserClients()).isFalse();
    assertThat(new CorsRules(List.of(noDelete, full)).servesBrowserClients()).isTrue();
    assertThat(new CorsRules(List.of()).servesBrowserClients()).isFalse();
  }
}
