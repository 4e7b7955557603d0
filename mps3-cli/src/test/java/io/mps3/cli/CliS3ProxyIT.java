package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.testkit.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The {@code mps3} command against S3Proxy over HTTP, credentials from the AWS_* variables. */
// Each test has its own working directory and keys of its own in the bucket.
@Execution(ExecutionMode.CONCURRENT)
class CliS3ProxyIT {

  private static S3ProxyServer server;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.shared();
    server.storeWithBucket("cli").close();
  }

  /**
   * The command as a user runs it: the packaged jar and its runtime class path, for the tests of
   * all a user sees on standard error (the log included).
   */
  private Cli cli(String secret) {
    return Cli.packaged(dir, credentials(secret));
  }

  /** The command inside this JVM, for the tests of what it does and prints on standard output. */
  private Cli here() {
    return new Cli(dir, credentials(S3ProxyServer.SECRET_KEY));
  }

  private static Map<String, String> credentials(String secret) {
    return Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret);
  }

  private String[] args(String... args) {
    return in("cli", args);
  }

  /** {@code args --endpoint E --bucket bucket}. */
  private static String[] in(String bucket, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint", server.endpoint().toString(), "--bucket", bucket));
    return all.toArray(new String[0]);
  }

  /** A bucket name no other test uses, and that does not exist yet. */
  private static String newBucket(String what) {
    return what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void putGetKeys_overS3() {
    Cli cli = here();
    assertThat(cli.run(args("put", "rooms/lobby", "{\"title\": \"Lobby\"}")).exit()).isZero();
    Cli.Result get = cli.run(args("get", "rooms/lobby"));
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("{\"title\":\"Lobby\"}\n");
    assertThat(cli.run(args("keys")).out()).contains("\"rooms/lobby\"");
    assertThat(dir.resolve("mps3-data")).doesNotExist();
  }

  @Test
  void aCommandThatWorks_printsNothingOnStandardError() {
    // The AWS signer logs through SLF4J: without a provider, SLF4J printed three warning lines
    // first on every call of the command against an S3 endpoint.
    Cli cli = cli(S3ProxyServer.SECRET_KEY);
    Cli.Result put = cli.run(args("put", "quiet/k", "1"));
    Cli.Result get = cli.run(args("get", "quiet/k"));

    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(put.err() + get.err()).isEmpty();
  }

  @Test
  void verbose_printsEachS3Call_andNoSecretSignatureOrBody() {
    Cli cli = cli(S3ProxyServer.SECRET_KEY);
    assertThat(cli.run(args("put", "verbose/k", "{\"secret-looking-body\": 1}")).exit()).isZero();

    Cli.Result get = cli.run(args("get", "verbose/k", "--verbose"));

    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.err())
        .contains("mps3: FINE S3Transport: GET s3://cli/manifest.json")
        .contains("at " + server.endpoint() + ": status ")
        .doesNotContain(S3ProxyServer.SECRET_KEY)
        .doesNotContain("Signature")
        .doesNotContain("Authorization")
        .doesNotContain("X-Amz-Credential")
        .doesNotContain("secret-looking-body");
  }

  @Test
  void wrongCredentials_exitWithThree_withAClearMessage_andNoSecret() {
    Cli.Result result = cli("not-the-secret-1234").run(args("get", "k"));
    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err())
        .contains("403")
        .contains("check the access key id, the secret key")
        .contains(server.endpoint().toString())
        .doesNotContain("not-the-secret-1234");
  }

  @Test
  void doctor_reportsS3ProxysRacyIfMatch() {
    Cli.Result doctor = here().run(args("doctor"));
    assertThat(doctor.exit()).as(doctor.err()).isZero();
    assertThat(doctor.out())
        .contains("concurrent creates:          atomic")
        .contains("LastModified precision:        whole seconds")
        .contains("browsers (JavaScript client):  unknown: the store does not answer GetBucketCors")
        .contains("501 NotImplemented");
  }

  @Test
  void mb_thenPut_onABrandNewBucket() {
    Cli cli = here();
    String bucket = newBucket("made");
    Cli.Result mb = cli.run("mb", bucket, "--endpoint", server.endpoint().toString());
    assertThat(mb.exit()).as(mb.err()).isZero();
    assertThat(mb.out() + mb.err()).isEmpty();
    Cli.Result put = cli.run(in(bucket, "put", "first", "{\"hello\": \"bucket\"}"));
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(cli.run(in(bucket, "get", "first")).out()).isEqualTo("{\"hello\":\"bucket\"}\n");
    Cli.Result again = cli.run("mb", bucket, "--endpoint", server.endpoint().toString());
    assertThat(again.exit()).as(again.err()).isZero(); // owned already: no failure
  }

  @Test
  void put_onAMissingBucket_exitsWithThree_suggestingMbOrCreateBucket() {
    String bucket = newBucket("missing");
    Cli.Result put = cli(S3ProxyServer.SECRET_KEY).run(in(bucket, "put", "k", "1"));
    assertThat(put.exit()).isEqualTo(3);
    assertThat(put.err())
        .contains("NoSuchBucket")
        .contains("make the bucket with `mps3 mb " + bucket + "`")
        .contains("--create-bucket")
        .doesNotContain(S3ProxyServer.SECRET_KEY);
    assertThat(put.err().strip().lines()).hasSize(1);
  }

  @Test
  void createBucket_onPutAndImport_makesANewBucketFirst() throws Exception {
    Cli cli = here();
    String forPut = newBucket("put");
    Cli.Result put = cli.run(in(forPut, "put", "k", "\"v\"", "--create-bucket"));
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(cli.run(in(forPut, "get", "k")).out()).isEqualTo("\"v\"\n");

    String forImport = newBucket("import");
    Files.writeString(dir.resolve("in.ndjson"), "{\"key\":\"a\",\"value\":[1]}\n");
    Cli.Result imported = cli.run(in(forImport, "import", "in.ndjson", "--create-bucket"));
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(cli.run(in(forImport, "get", "a")).out()).isEqualTo("[1]\n");
  }

  @Test
  void journal_keepsAWriteTheStoreCouldNotTake_andTheNextWriteSendsIt() {
    Cli cli = cli(S3ProxyServer.SECRET_KEY);
    // The store is unreachable (a closed port): the write is journaled, and the command says so.
    Cli.Result offline =
        cli.run(
            "put",
            "journal/offline",
            "\"written offline\"",
            "--journal",
            "j",
            "--endpoint",
            "http://127.0.0.1:9",
            "--bucket",
            "cli",
            "--timeout",
            "2s");
    assertThat(offline.exit()).as(offline.err()).isZero();
    assertThat(offline.err())
        .contains("the store did not take 1 key write(s) within 2 s")
        .contains("kept in the journal " + dir.resolve("j")); // the path, resolved
    assertThat(cli.run(args("get", "journal/offline")).exit()).isEqualTo(1); // not sent yet

    // Back online: the next write through the journal sends the pending one first.
    Cli.Result online = cli.run(args("put", "journal/online", "2", "--journal", "j"));
    assertThat(online.exit()).as(online.err()).isZero();
    assertThat(online.err()).isEmpty();
    assertThat(cli.run(args("get", "journal/offline")).out()).isEqualTo("\"written offline\"\n");
    assertThat(cli.run(args("get", "journal/online", "--journal", "j")).out()).isEqualTo("2\n");
  }

  @Test
  void json_doctorAndDoctorManifest_printOneJsonObject() throws Exception {
    Cli cli = here();
    assertThat(cli.run(args("put", "json/k", "1", "--manifest", "json.json")).exit()).isZero();
    ObjectMapper json = new ObjectMapper();

    Cli.Result doctor = cli.run(args("doctor", "--json"));
    assertThat(doctor.exit()).as(doctor.err()).isZero();
    assertThat(doctor.out().strip().lines()).hasSize(1);
    JsonNode report = json.readTree(doctor.out());
    assertThat(report.at("/createIfAbsent/concurrent/atomic").asBoolean()).isTrue();
    assertThat(report.get("lastModifiedMillis").asBoolean()).isFalse();
    assertThat(report.at("/browsers/ready").isNull()).isTrue();
    assertThat(report.at("/browsers/detail").asText()).contains("501 NotImplemented");

    Cli.Result check = cli.run(args("doctor", "--manifest", "json.json", "--json"));
    assertThat(check.exit()).as(check.err()).isZero();
    JsonNode manifest = json.readTree(check.out());
    assertThat(manifest.get("store").asText()).isEqualTo(server.endpoint().toString());
    assertThat(manifest.get("bucket").asText()).isEqualTo("cli");
    assertThat(manifest.get("valid").asInt()).isPositive(); // the entry and its value
    assertThat(manifest.get("unreadable")).isEmpty();
  }

  @Test
  void completion_fromThePackagedCommand_namesTheCommands() {
    Cli.Result completion = cli(S3ProxyServer.SECRET_KEY).run("completion");
    assertThat(completion.exit()).as(completion.err()).isZero();
    assertThat(completion.err()).isEmpty();
    assertThat(completion.out())
        .contains("complete -F _complete_mps3")
        .contains(
            "local commands=\"put get delete keys watch console import export doctor repair log");
  }
}
