package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** The {@code mps3} command as a user runs it, on the local directory (the default). */
// Each test has its own working directory; most of the time goes to starting mps3 processes and
// waiting for them, so the tests run at once.
@Order(1)
@Execution(ExecutionMode.CONCURRENT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Cli cli() {
    return new Cli(dir, Map.of());
  }

  @Test
  void putGetDeleteKeys_workOnTheDefaultLocalDirectory() {
    Cli cli = cli();
    assertThat(cli.run("put", "users/42", "{\"name\": \"Ada\"}").exit()).isZero();
    assertThat(cli.run("put", "users/43", "\"Grace\"").exit()).isZero();
    Cli.Result get = cli.run("get", "users/42");
    assertThat(get.exit()).isZero();
    assertThat(get.out()).isEqualTo("{\"name\":\"Ada\"}\n");
    assertThat(cli.run("keys", "users/").out()).isEqualTo("\"users/42\"\n\"users/43\"\n");
    assertThat(cli.run("delete", "users/42").exit()).isZero();
    Cli.Result missing = cli.run("get", "users/42");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).contains("no value for \"users/42\"");
    assertThat(dir.resolve("mps3-data/mps3")).isDirectory();
  }

  @Test
  void strictProtocol_putGetDeleteAndLog_onTheLocalDirectory() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("put", "n", "1", "--protocol", "strict").exit()).isZero();
    assertThat(cli.run("put", "n", "2", "--protocol", "strict").exit()).isZero();
    assertThat(cli.run("get", "n", "--protocol", "strict").out()).isEqualTo("2\n");
    assertThat(cli.run("delete", "n", "--protocol", "strict").exit()).isZero();
    assertThat(cli.run("get", "n", "--protocol", "strict").exit()).isEqualTo(1);
    Cli.Result log = cli.run("log", "--protocol", "strict");
    assertThat(log.exit()).as(log.err()).isZero();
    List<String> lines = log.out().strip().lines().toList();
    assertThat(lines).hasSize(4); // slots 3, 2, 1, then the head (no checkpoint yet)
    assertThat(lines.get(0)).contains("manifest.json/log/00000000000000000003", "\"VALID\"");
    assertThat(JSON.readTree(lines.get(1)).at("/entry/files/mps3~1n/value").asInt()).isEqualTo(2);
    assertThat(lines.get(3)).contains("manifest.json/head");
    // the causal manifest of the same bucket is another manifest: untouched
    assertThat(cli.run("get", "n").exit()).isEqualTo(1);
  }

  @Test
  void badInput_exitsWithTwo_andSaysWhatIsWrong() {
    Cli cli = cli();
    Cli.Result json = cli.run("put", "k", "{\"a\": }");
    assertThat(json.exit()).isEqualTo(2);
    assertThat(json.err())
        .contains("invalid JSON in the value of k at line 1, column 7")
        .doesNotContain("at io.mps3");
    Cli.Result flag = cli.run("get", "k", "--fly");
    assertThat(flag.exit()).isEqualTo(2);
    assertThat(flag.err()).contains("Unknown option: '--fly'");
    Cli.Result key = cli.run("put", "", "1");
    assertThat(key.exit()).isEqualTo(2);
    assertThat(key.err()).contains("invalid object key: it is empty");
    Cli.Result protocol = cli.run("get", "k", "--protocol", "linear");
    assertThat(protocol.exit()).isEqualTo(2);
    assertThat(protocol.err()).contains("unknown protocol 'linear' (causal or strict)");
    Cli.Result none = cli.run();
    assertThat(none.exit()).isEqualTo(2);
  }

  @Test
  void unreachableEndpoint_exitsWithThree_namingIt_withoutSecrets() {
    // All a user sees on standard error, warnings of the log included: a process of its own.
    Cli cli =
        Cli.process(
            dir, Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "very-secret-value"));
    Cli.Result result = cli.run("get", "k", "--endpoint", "http://127.0.0.1:9", "--timeout", "5s");
    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err())
        .contains("http://127.0.0.1:9")
        .contains("cannot connect")
        .doesNotContain("very-secret-value")
        .doesNotContain("\tat ");
    assertThat(result.err().strip().lines()).hasSize(1);
  }

  @Test
  void help_ofEverySubcommand_hasAnExample() {
    for (String command :
        List.of(
            "put",
            "get",
            "delete",
            "keys",
            "watch",
            "import",
            "export",
            "doctor",
            "repair",
            "log",
            "mb",
            "demo",
            "completion")) {
      Cli.Result help = cli().run(command, "--help");
      assertThat(help.exit()).as(command).isZero();
      assertThat(help.out()).as(command).contains("Example").contains("mps3 " + command);
    }
  }

  @Test
  void twoWatchers_seeAThirdProcesssPuts_inOrder() throws Exception {
    Cli cli = cli();
    cli.run("put", "ready", "true");
    Process first = cli.start("watch-1", "watch", "--all");
    Process second = cli.start("watch-2", "watch", "--all");
    try {
      for (String watcher : List.of("watch-1.out", "watch-2.out")) {
        Eventually.eventually(
            Duration.ofSeconds(60), () -> assertThat(cli.output(watcher)).contains("\"ready\""));
      }
      for (int i = 1; i <= 5; i++) {
        assertThat(cli.run("put", "n", Integer.toString(i)).exit()).isZero();
      }
      cli.run("delete", "ready");
      for (String watcher : List.of("watch-1.out", "watch-2.out")) {
        Eventually.eventually(
            Duration.ofSeconds(60),
            () -> assertThat(cli.output(watcher)).contains("{\"key\":\"ready\",\"deleted\":true}"));
        List<Integer> seen = new ArrayList<>();
        for (String line : cli.output(watcher).strip().lines().toList()) {
          JsonNode change = JSON.readTree(line);
          if (change.get("key").asText().equals("n")) {
            seen.add(change.get("value").asInt());
          }
        }
        assertThat(seen).as(watcher).isSorted().doesNotHaveDuplicates().endsWith(5);
      }
    } finally {
      first.destroy();
      second.destroy();
    }
  }

  @Test
  @Order(1) // the longest (fsyncs of 10,000 keys): started first
  void import_thenExport_roundTrips10000Keys() throws Exception {
    StringBuilder ndjson = new StringBuilder();
    Map<String, JsonNode> expected = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String key = "item/" + i;
      JsonNode value = JSON.readTree("{\"n\": " + i + ", \"label\": \"item " + i + "\"}");
      expected.put(key, value);
      ObjectNode record = JSON.createObjectNode().put("key", key);
      record.set("value", value);
      ndjson.append(record.toString()).append('\n');
    }
    Files.writeString(dir.resolve("in.ndjson"), ndjson, StandardCharsets.UTF_8);
    Cli cli = cli();
    Cli.Result imported = cli.run("import", "in.ndjson");
    assertThat(imported.exit()).as(imported.err()).isZero();
    Cli.Result exported = cli.run("export");
    assertThat(exported.exit()).as(exported.err()).isZero();
    Map<String, JsonNode> actual = new HashMap<>();
    for (String line : exported.out().strip().lines().toList()) {
      JsonNode record = JSON.readTree(line);
      actual.put(record.get("key").asText(), record.get("value"));
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void log_showsTheEntriesAndTheResolvedState() throws Exception {
    Cli cli = cli();
    cli.run("put", "a", "1");
    cli.run("put", "b", "2");
    // Design 0007: a key named like the manifest is refused, and leaves nothing in the log.
    Cli.Result reserved = cli.run("put", "manifest.json@x", "\"a value named like the manifest\"");
    assertThat(reserved.exit()).isNotZero();
    assertThat(reserved.err()).contains("key \"manifest.json@x\" is reserved by manifest");
    Cli.Result log = cli.run("log");
    assertThat(log.exit()).as(log.err()).isZero();
    List<String> lines = log.out().strip().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.subList(0, 2)).allMatch(l -> l.contains("\"status\":\"VALID\""));
    JsonNode state = JSON.readTree(lines.get(2)).get("state");
    assertThat(state.has("mps3/a")).isTrue();
    assertThat(state.has("mps3/b")).isTrue();
    assertThat(state.has("mps3/manifest.json@x")).isFalse();
  }

  @Test
  void doctor_reportsWhatTheLocalDirectorySupports() {
    Cli.Result doctor = cli().run("doctor");
    assertThat(doctor.exit()).isZero();
    assertThat(doctor.out())
        .contains("concurrent creates:          atomic")
        .contains("causal, strict");
  }
}
