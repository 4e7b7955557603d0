package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.spi.GetResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

/**
 * Virtual-hosted requests ({@code Host: <bucket>.gateway.test}, path {@code /key}): the AWS SDK for
 * Java v2's own S3Client with {@code forcePathStyle(false)}, its web-identity credentials from the
 * gateway's STS on the bare domain, puts, gets, lists and presigns through the gateway; a denial
 * names the bucket from the host; the bare domain and hosts not configured stay path style. On the
 * JVM's {@link SharedGateway}, configured with {@code virtualHostDomains: [gateway.test]}.
 *
 * <p>{@code *.gateway.test} does not resolve here ({@code .test} is reserved), so the SDK's HTTP
 * client resolves every {@code .test} name to the loopback address, as a wildcard DNS record for
 * the gateway would; the name still goes as sent in {@code Host} and in the signature.
 */
class VirtualHostedIT {

  private static final String BUCKET = GatewayFixture.BUCKET;

  private static GatewayFixture f;
  private static int port;
  private static SdkHttpClient http;
  private static StsClient stsClient;
  private static StsWebIdentityTokenFileCredentialsProvider carol;

  @BeforeAll
  static void start() throws Exception {
    f = SharedGateway.fixture();
    port = f.gateway.endpoint().getPort();
    http = Apache5HttpClient.builder().dnsResolver(new TestNamesOnLoopback()).build();
    stsClient =
        StsClient.builder()
            .endpointOverride(domain("gateway.test"))
            .httpClient(http)
            .region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .build();
    Path tokenFile = Files.createTempFile("web-identity-", ".jwt");
    tokenFile.toFile().deleteOnExit();
    Files.writeString(tokenFile, f.token("carol", "mps3-app", List.of(), 3600));
    carol =
        StsWebIdentityTokenFileCredentialsProvider.builder()
            .stsClient(stsClient)
            .roleArn(GatewayFixture.ROLE)
            .roleSessionName("sdk")
            .webIdentityTokenFile(tokenFile)
            .build();
  }

  @AfterAll
  static void stop() {
    if (stsClient != null) {
      carol.close();
      stsClient.close();
      http.close();
    }
  }

  @Test
  void sdkInVirtualHostedStyle_putsGetsAndLists_namingTheBucketInTheHost() {
    List<SdkHttpRequest> sent = new ArrayList<>();
    String key = "users/carol/vh/a b+c";
    byte[] body = "through bucket.gateway.test".getBytes(StandardCharsets.UTF_8);
    try (S3Client s3 = sdk("gateway.test", false, sent)) {
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
      assertThat(sent.get(0).host()).isEqualTo(BUCKET + ".gateway.test");
      assertThat(sent.get(0).encodedPath()).isEqualTo("/users/carol/vh/a%20b%2Bc");
      assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(body);
      List<String> listed =
          s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("users/carol/vh/")).contents().stream()
              .map(S3Object::key)
              .toList();
      assertThat(listed).containsExactly(key);
      assertThat(sent).allMatch(r -> r.host().equals(BUCKET + ".gateway.test"));
    }
    GetResult stored = f.direct.get(BUCKET, key).join();
    assertThat(stored).isInstanceOf(GetResult.Found.class);
    assertThat(((GetResult.Found) stored).object().body()).isEqualTo(body);
  }

  @Test
  void ruleDenial_namesTheBucketFromTheHostAndTheKeyFromThePath() throws Exception {
    String key = "users/bob/vh-denied";
    try (S3Client s3 = sdk("gateway.test", false, new ArrayList<>())) {
      assertThatThrownBy(
              () -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo(
                        "no rule allows PutObject on " + BUCKET + "/" + key + " for this caller");
              });
    }
    assertThat(f.direct.head(BUCKET, key).join()).isEmpty();
    // The audit line has them too (written before the answer).
    assertThat(Files.readAllLines(f.dir.resolve("audit.jsonl")))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "\"operation\":\"PutObject\",\"bucket\":\""
                            + BUCKET
                            + "\",\"key\":\""
                            + key
                            + "\"",
                        "\"decision\":\"denied\""));
  }

  @Test
  void presignedGet_inVirtualHostedForm_isAnswered() throws Exception {
    String key = "users/carol/vh/presigned";
    try (S3Client s3 = sdk("gateway.test", false, new ArrayList<>())) {
      s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("presigned body"));
    }
    URL url;
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(domain("gateway.test"))
            .region(Region.US_EAST_1)
            .credentialsProvider(carol)
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(false).build())
            .build()) {
      url =
          presigner
              .presignGetObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket(BUCKET).key(key)))
              .url();
    }
    assertThat(url.getHost()).isEqualTo(BUCKET + ".gateway.test");
    assertThat(url.getPath()).isEqualTo("/" + key);
    String answer = raw(url.getHost() + ":" + port, url.getFile());
    assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\npresigned body");
    // The same URL's query on another bucket's host is another request: its signature fails.
    assertThat(raw("other-bucket.gateway.test:" + port, url.getFile()))
        .startsWith("HTTP/1.1 403 ")
        .contains("<Resource>/other-bucket/" + key + "</Resource>");
  }

  @Test
  void bareDomain_andHostsNotConfigured_stayPathStyle() {
    String key = "users/carol/vh/path-style";
    List<SdkHttpRequest> sent = new ArrayList<>();
    try (S3Client bare = sdk("gateway.test", true, sent);
        S3Client elsewhere = sdk(BUCKET + ".notgateway.test", true, sent)) {
      bare.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("path style"));
      assertThat(elsewhere.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
          .isEqualTo("path style");
      // Path style on a host that looks like a bucket's: the bucket is still the path's first.
      assertThat(sent.get(1).host()).isEqualTo(BUCKET + ".notgateway.test");
      assertThat(sent.get(1).encodedPath()).isEqualTo("/" + BUCKET + "/" + key);
    }
  }

  @Test
  void bucketHost_isS3Only_andAnInvalidBucketLabelIsRefused() throws Exception {
    assertThat(raw("gateway.test:" + port, "/_mps3/health")).startsWith("HTTP/1.1 200 ");
    // On a bucket's host, /_mps3/health is a key: an unsigned GetObject, denied.
    assertThat(raw(BUCKET + ".gateway.test:" + port, "/_mps3/health"))
        .startsWith("HTTP/1.1 403 ")
        .contains("<Resource>/" + BUCKET + "/_mps3/health</Resource>");
    assertThat(raw("Bad_Bucket.gateway.test:" + port, "/k"))
        .startsWith("HTTP/1.1 400 ")
        .contains("<Code>InvalidBucketName</Code>", "'bad_bucket'");
  }

  private static S3Client sdk(String host, boolean pathStyle, List<SdkHttpRequest> sent) {
    return S3Client.builder()
        .endpointOverride(domain(host))
        .httpClient(http)
        .region(Region.US_EAST_1)
        .forcePathStyle(pathStyle)
        .credentialsProvider(carol)
        .overrideConfiguration(c -> c.addExecutionInterceptor(new SentRequests(sent)))
        .build();
  }

  private static URI domain(String host) {
    return URI.create("http://" + host + ":" + port);
  }

  /** A GET with the given {@code Host}, as a client resolving it to the gateway sends it. */
  private static String raw(String host, String target) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every {@code .test} name on the loopback address: a wildcard record for the gateway. */
  private static final class TestNamesOnLoopback implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      return host.toLowerCase(Locale.ROOT).endsWith(".test")
          ? new InetAddress[] {InetAddress.getLoopbackAddress()}
          : SystemDefaultDnsResolver.INSTANCE.resolve(host);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
      return host;
    }
  }
}
