package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.testkit.S3ProxyServer;
import java.nio.file.Path;
import java.util.Map;
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

  /** The command as a user runs it: the packaged jar and its runtime class path. */
  private Cli cli(String secret) {
    return Cli.packaged(
        dir,
        Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret));
  }

  private String[] args(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--endpoint";
    all[args.length + 1] = server.endpoint().toString();
    all[args.length + 2] = "--bucket";
    all[args.length + 3] = "cli";
    return all;
  }

  @Test
  void putGetKeys_overS3() {
    Cli cli = cli(S3ProxyServer.SECRET_KEY);
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
    Cli.Result doctor = cli(S3ProxyServer.SECRET_KEY).run(args("doctor"));
    assertThat(doctor.exit()).as(doctor.err()).isZero();
    assertThat(doctor.out())
        .contains("concurrent creates:          atomic")
        .contains("LastModified precision:        whole seconds")
        .contains("browsers (JavaScript client):  unknown: the store does not answer GetBucketCors")
        .contains("501 NotImplemented");
  }
}
