package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which requests are virtual-hosted, and the config option naming the gateway's domains. */
class AddressingTest {

  private static final Addressing ADDRESSING =
      new Addressing(List.of("gateway.example.com", "localhost"));

  @Test
  void bucketSubdomain_isVirtualHosted_andItsPathIsTheKey() throws Exception {
    Addressing.Addressed a = ADDRESSING.of(request("Photos.Gateway.Example.COM.:8443", "/a/b%20c"));
    assertThat(a.hostBucket()).isEqualTo("photos");
    assertThat(a.pathStyle().rawPath()).isEqualTo("/photos/a/b%20c");
    assertThat(a.sent().rawPath()).isEqualTo("/a/b%20c"); // what the signature check reads
    assertThat(ADDRESSING.of(request("my.bucket.gateway.example.com", "//k")).pathStyle().rawPath())
        .isEqualTo("/my.bucket//k");
    assertThat(ADDRESSING.of(request("b-1.localhost:80", "/")).pathStyle().rawPath())
        .isEqualTo("/b-1/");
    assertThat(S3Operation.of("GET", "/b-1/", List.of()).bucket()).isEqualTo("b-1");
  }

  @Test
  void bareDomainOrAnyOtherHost_staysPathStyle() throws Exception {
    for (String host :
        new String[] {
          "gateway.example.com", "GATEWAY.example.com:8080", "bucket.notgateway.example.com",
          "127.0.0.1:8080", "[::1]:8080", "bucket.gateway.example.com.evil.test",
        }) {
      Addressing.Addressed a = ADDRESSING.of(request(host, "/bucket/key"));
      assertThat(a.virtualHosted()).as(host).isFalse();
      assertThat(a.pathStyle()).as(host).isSameAs(a.sent());
    }
    assertThat(new Addressing(List.of()).of(request("b.localhost", "/k")).virtualHosted())
        .isFalse();
  }

  @Test
  void labelThatIsNoBucketName_isRefused() {
    for (String label : new String[] {"ab", "a_b", "a..b", "-ab", "192.168.1.1", "a".repeat(64)}) {
      assertThatThrownBy(() -> ADDRESSING.of(request(label + ".localhost", "/k")))
          .as(label)
          .isInstanceOf(Addressing.InvalidBucket.class)
          .hasMessageContaining("'" + label + "'");
    }
  }

  @Test
  void configOption_listsHostNames_andABadOneNamesItsLine() {
    String good = GatewayConfigLoaderTest.GOOD + "virtualHostDomains: [s3.example.com, Local]\n";
    assertThat(parse(good).addressing().domains()).containsExactly("s3.example.com", "local");
    assertThat(parse(GatewayConfigLoaderTest.GOOD).addressing().domains()).isEmpty();
    assertThatThrownBy(
            () ->
                parse(
                    GatewayConfigLoaderTest.GOOD
                        + "virtualHostDomains: [ok.example.com, 'https://s3.example.com']\n"))
        .hasMessage(
            "gateway.yaml line 19: virtualHostDomains[1] must be a host name such as"
                + " gateway.example.com (no scheme, port, path or wildcard), not"
                + " 'https://s3.example.com'");
    assertThatThrownBy(
            () -> parse(GatewayConfigLoaderTest.GOOD + "virtualHostDomains: s3.example.com\n"))
        .hasMessage("gateway.yaml line 19: virtualHostDomains must be a list");
  }

  private static IncomingRequest request(String host, String path) {
    return new IncomingRequest("GET", path, "", Map.of("host", List.of(host)));
  }

  private static GatewayConfig parse(String text) {
    return GatewayConfigLoader.parse(
        text,
        "gateway.yaml",
        Path.of("."),
        Map.of(
            "SEALING_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "UPSTREAM_SECRET", "x"));
  }
}
