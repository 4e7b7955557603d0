package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.PutOptions;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk deletes ({@code POST /bucket?delete}) through the gateway: every key is checked as its own
 * {@code DeleteObject} would be, and one refused key refuses the whole request with the bucket
 * unchanged. One issuer, S3Proxy and gateway for the class; the requests are signed by hand, since
 * the Java client never sends a bulk delete (its cleanup deletes one object at a time).
 */
class BulkDeleteIT {

  private static final String BUCKET = GatewayFixture.BUCKET;
  private static final String SLOT = "shared/strict/log/00000000000000000001";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @TempDir static Path dir;
  private static GatewayFixture f;
  private static Path audit;
  private static SignedRequests.Credentials alice;

  @BeforeAll
  static void start() throws Exception {
    audit = dir.resolve("audit.jsonl");
    f =
        GatewayFixture.start(
            dir,
            List.of(
                "  - name: bulk-deletes", // by name; each key is then checked on its own
                "    allow: request.operation == 'DeleteObjects'",
                "  - name: shared-deletes", // any key under shared/, a manifest's log objects too
                "    allow: request.operation == 'DeleteObject' && request.key.startsWith('shared/')",
                "validation:",
                "  trustedRule: admins",
                "audit:",
                "  file: " + audit));
    alice = f.assume("alice", List.of());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void aBulkDeleteOfKeysTheCallerMayDelete_deletesThem_andATrustedCallerMayDeleteLogObjects()
      throws Exception {
    put("users/alice/a", "users/alice/b & c", "shared/doc", SLOT);

    HttpResponse<String> own =
        f.send(delete(alice, body(false, "users/alice/a", "users/alice/b & c", "shared/doc")));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(own.body()).contains("<Key>users/alice/a</Key>", "<Key>users/alice/b &amp; c</Key>");
    assertThat(keys()).contains(SLOT).doesNotContain("users/alice/a", "users/alice/b & c");

    HttpResponse<String> trusted =
        f.send(delete(f.assume("root", List.of("admin")), body(true, SLOT)));
    assertThat(trusted.statusCode()).as(trusted.body()).isEqualTo(200);
    assertThat(keys()).doesNotContain(SLOT);
    assertThat(auditLines("allowed")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aBulkDeleteWithOneKeyTheCallerMayNotDelete_isRefusedWhole_andDeletesNothing()
      throws Exception {
    put("users/alice/kept", "users/bob/theirs", SLOT);
    Map<String, String> before = objects();

    // Another user's document, then a manifest's log object the rules allow by name only.
    for (String forbidden : List.of("users/bob/theirs", SLOT)) {
      HttpResponse<String> answer =
          f.send(delete(alice, body(false, "users/alice/kept", forbidden)));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      assertThat(answer.body())
          .contains("<Code>AccessDenied</Code>", "key 2 of 2")
          .doesNotContain(alice.secret(), alice.token());
      assertThat(objects()).isEqualTo(before);
      JsonNode line = auditLines("denied").get(auditLines("denied").size() - 1);
      assertThat(line.path("operation").asText()).isEqualTo("DeleteObjects");
      assertThat(line.path("key").asText()).isEqualTo(forbidden);
    }
    assertThat(auditLines("denied").get(1).path("manifest").asText()).isEqualTo("shared/strict");
  }

  @Test
  void aMalformedOrOversizedOrMisdigestedBody_isRefused_andDeletesNothing() throws Exception {
    put("users/alice/m");
    Map<String, String> before = objects();
    String key = "<Object><Key>users/alice/m</Key></Object>";
    List<Map.Entry<String, String>> bodies =
        List.of(
            Map.entry("<Delete>" + key, "MalformedXML"), // not closed
            Map.entry("<Delete><Quiet>true</Quiet></Delete>", "MalformedXML"), // no object
            Map.entry(
                "<!DOCTYPE Delete [<!ENTITY k 'users/bob/x'>]><Delete><Object><Key>&k;</Key>"
                    + "</Object></Delete>",
                "MalformedXML"),
            Map.entry("<Delete>" + key + "<!-- --></Delete>", "MalformedXML"));
    for (Map.Entry<String, String> body : bodies) {
      HttpResponse<String> answer = f.send(delete(alice, body.getKey()));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
      assertThat(answer.body()).contains("<Code>" + body.getValue() + "</Code>");
    }
    assertThat(declaring(alice, BulkDeletes.MAX_BODY_BYTES + 1L))
        .startsWith("HTTP/1.1 400 ")
        .contains("<Code>EntityTooLarge</Code>");
    HttpResponse<String> badDigest =
        f.send(signed(alice, body(false, "users/alice/m"), md5("<Delete/>")));
    assertThat(badDigest.body()).contains("<Code>BadDigest</Code>");
    assertThat(objects()).isEqualTo(before);
    assertThat(Files.readString(audit, StandardCharsets.UTF_8)).doesNotContain("<Delete");
  }

  private static void put(String... keys) {
    for (String key : keys) {
      f.direct.put(BUCKET, key, new byte[] {1}, PutOptions.unconditional()).join();
    }
  }

  private static List<String> keys() {
    return new ArrayList<>(objects().keySet());
  }

  /** The bucket's keys and ETags. */
  private static Map<String, String> objects() {
    Map<String, String> out = new TreeMap<>();
    for (ObjectMetadata o : f.direct.listAll(BUCKET, "", null).join()) {
      out.put(o.key(), o.etag());
    }
    return out;
  }

  private static List<JsonNode> auditLines(String decision) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
      JsonNode entry = json.readTree(line);
      if (entry.path("operation").asText().equals("DeleteObjects")
          && entry.path("decision").asText().equals(decision)) {
        out.add(entry);
      }
    }
    return out;
  }

  private static String body(boolean quiet, String... keys) {
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    if (quiet) {
      xml.append("<Quiet>true</Quiet>");
    }
    for (String key : keys) {
      xml.append("<Object><Key>").append(key.replace("&", "&amp;")).append("</Key></Object>");
    }
    return xml.append("</Delete>").toString();
  }

  private static HttpRequest delete(SignedRequests.Credentials credentials, String body) {
    return signed(credentials, body, md5(body));
  }

  private static String md5(String body) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code POST /bucket?delete} of {@code body}, signed with its SHA-256. */
  private static HttpRequest signed(
      SignedRequests.Credentials credentials, String body, String contentMd5) {
    String hash =
        HexFormat.of().formatHex(SigV4.sha256().digest(body.getBytes(StandardCharsets.UTF_8)));
    HttpRequest.Builder out =
        HttpRequest.newBuilder(URI.create(f.gateway.endpoint() + "/" + BUCKET + "?delete"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30));
    headers(credentials, hash, contentMd5).forEach(out::header);
    return out.build();
  }

  /**
   * The answer to a {@code POST /bucket?delete} that declares {@code length} bytes and sends none:
   * the gateway must answer from the declared length alone. (A raw socket: the JDK's HttpClient
   * would send the whole body, or with {@code Expect: 100-continue} wait for a 100 forever.)
   */
  private static String declaring(SignedRequests.Credentials credentials, long length)
      throws Exception {
    URI endpoint = f.gateway.endpoint();
    StringBuilder request =
        new StringBuilder("POST /" + BUCKET + "?delete HTTP/1.1\r\n")
            .append("host: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n")
            .append("content-length: " + length + "\r\n");
    headers(credentials, SigV4.UNSIGNED_PAYLOAD, md5(""))
        .forEach((name, value) -> request.append(name + ": " + value + "\r\n"));
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      byte[] buffer = new byte[8192];
      for (int n; !answer.toString().contains("</Error>") && (n = in.read(buffer)) > 0; ) {
        answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      return answer.toString();
    }
  }

  /** The signed headers of a bulk delete (but {@code host}), with its {@code Authorization}. */
  private static Map<String, String> headers(
      SignedRequests.Credentials credentials, String payloadHash, String contentMd5) {
    URI endpoint = f.gateway.endpoint();
    String amzDate = AMZ_DATE.format(Instant.now());
    String date = amzDate.substring(0, 8);
    Map<String, String> headers = new TreeMap<>();
    headers.put("content-md5", contentMd5);
    headers.put("host", endpoint.getHost() + ":" + endpoint.getPort());
    headers.put("x-amz-content-sha256", payloadHash);
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-security-token", credentials.token());
    String signedHeaders = String.join(";", headers.keySet());
    String canonical =
        SigV4.canonicalRequest(
            "POST",
            "/" + BUCKET,
            SigV4.canonicalQuery(List.of(new SigV4.Parameter("delete", ""))),
            headers,
            signedHeaders,
            payloadHash);
    String scope = SigV4.scope(date, "us-east-1");
    String signature =
        SigV4.signature(
            credentials.secret(), date, "us-east-1", SigV4.stringToSign(amzDate, scope, canonical));
    headers.remove("host");
    headers.put(
        "authorization",
        SigV4.authorization(credentials.accessKeyId(), scope, signedHeaders, signature));
    return headers;
  }
}
