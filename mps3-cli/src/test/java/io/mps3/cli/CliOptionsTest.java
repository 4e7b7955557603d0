package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The options of issue #15 as a user runs them on the local directory: mb, --create-bucket,
 * --journal, --strict, --json, completion.
 */
@Execution(ExecutionMode.CONCURRENT)
class CliOptionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Cli cli() {
    return new Cli(dir, Map.of());
  }

  /** Each line of the output, parsed as JSON (fails the test if one is not JSON). */
  private static List<JsonNode> jsonLines(String output) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.strip().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  void mb_makesTheBucketsDirectory_andPutsGoThere() {
    Cli cli = cli();
    Cli.Result mb = cli.run("mb", "team-notes");
    assertThat(mb.exit()).as(mb.err()).isZero();
    assertThat(mb.out() + mb.err()).isEmpty();
    assertThat(dir.resolve("mps3-data/team-notes")).isDirectory();
    assertThat(cli.run("mb", "team-notes").exit()).isZero(); // already there: no failure
    assertThat(cli.run("put", "k", "1", "--bucket", "team-notes").exit()).isZero();
    assertThat(cli.run("get", "k", "--bucket", "team-notes").out()).isEqualTo("1\n");

    Cli.Result bad = cli.run("mb", "x");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("invalid bucket name \"x\"");
    Cli.Result noManifestHere = cli.run("mb", "other", "--manifest", "m");
    assertThat(noManifestHere.exit()).isEqualTo(2);
    assertThat(noManifestHere.err()).contains("Unknown options: '--manifest'");
  }

  @Test
  void createBucket_onPutAndImport_makesTheBucketFirst() throws Exception {
    Cli cli = cli();
    Cli.Result put = cli.run("put", "k", "1", "--bucket", "fresh-put", "--create-bucket");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(dir.resolve("mps3-data/fresh-put")).isDirectory();
    Files.writeString(dir.resolve("in.ndjson"), "{\"key\":\"a\",\"value\":true}\n");
    Cli.Result imported =
        cli.run("import", "in.ndjson", "--bucket", "fresh-import", "--create-bucket");
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(cli.run("get", "a", "--bucket", "fresh-import").out()).isEqualTo("true\n");
  }

  @Test
  void journal_writesThroughIt_andTheValuesReadBack_withOrWithoutIt() throws Exception {
    Cli cli = cli();
    Cli.Result put = cli.run("put", "notes/1", "{\"text\": \"offline first\"}", "--journal", "j");
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.err()).isEmpty();
    Cli.Result delete = cli.run("put", "notes/2", "2", "--journal", "j");
    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(cli.run("delete", "notes/2", "--journal", "j").exit()).isZero();

    assertThat(cli.run("get", "notes/1", "--journal", "j").out())
        .isEqualTo("{\"text\":\"offline first\"}\n");
    assertThat(cli.run("get", "notes/1").out()).isEqualTo("{\"text\":\"offline first\"}\n");
    assertThat(cli.run("get", "notes/2").exit()).isEqualTo(1);
    // the bucket holds every write: nothing is left pending in the journal
    try (Stream<Path> files = Files.list(dir.resolve("j"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .doesNotContain("w-")
          .containsOnly("lock");
    }
  }

  @Test
  void journal_withTheStrictProtocol_isRefused_withExitTwo() {
    for (List<String> strict : List.of(List.of("--strict"), List.of("--protocol", "strict"))) {
      List<String> args = new ArrayList<>(List.of("put", "k", "1", "--journal", "j"));
      args.addAll(strict);
      Cli.Result put = cli().run(args.toArray(new String[0]));
      assertThat(put.exit()).as(put.err()).isEqualTo(2);
      assertThat(put.err()).contains("--journal works with the causal protocol only");
    }
    assertThat(dir.resolve("j")).doesNotExist();
  }

  @Test
  void strict_isShortForProtocolStrict_andRefusesAContradiction() {
    Cli cli = cli();
    assertThat(cli.run("put", "n", "1", "--strict").exit()).isZero();
    assertThat(cli.run("get", "n", "--protocol", "strict").out()).isEqualTo("1\n");
    assertThat(cli.run("get", "n", "--strict", "--protocol", "strict").out()).isEqualTo("1\n");
    assertThat(cli.run("get", "n").exit()).isEqualTo(1); // the causal manifest is another one
    Cli.Result both = cli.run("get", "n", "--strict", "--protocol", "causal");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--strict contradicts --protocol causal");
    Cli.Result log = cli.run("log", "--strict");
    assertThat(log.exit()).as(log.err()).isZero();
    assertThat(log.out()).contains("manifest.json/log/00000000000000000001");
  }

  @Test
  void json_everyPrintingCommand_printsJsonLines() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("put", "a", "{\"n\": 1}").exit()).isZero();
    assertThat(cli.run("put", "b", "[1, 2]").exit()).isZero();
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      ndjson.append("{\"key\":\"many/").append(i).append("\",\"value\":").append(i).append("}\n");
    }
    Files.writeString(dir.resolve("many.ndjson"), ndjson, StandardCharsets.UTF_8);

    Cli.Result imported = cli.run("import", "many.ndjson", "--batch", "100", "--json");
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.err()).isEmpty(); // no progress bar
    assertThat(jsonLines(imported.out()))
        .singleElement()
        .isEqualTo(JSON.readTree("{\"keys\":300}"));

    assertThat(jsonLines(cli.run("get", "a", "--json").out()))
        .containsExactly(JSON.readTree("{\"n\":1}"));
    assertThat(jsonLines(cli.run("keys", "--json").out())).hasSize(302);
    Cli.Result exported = cli.run("export", "many/", "--json");
    assertThat(exported.err()).isEmpty();
    assertThat(jsonLines(exported.out())).hasSize(300).allMatch(l -> l.has("value"));
    List<JsonNode> log = jsonLines(cli.run("log", "--json").out());
    assertThat(log.get(log.size() - 1).has("state")).isTrue();

    Cli.Result doctor = cli.run("doctor", "--json");
    assertThat(doctor.exit()).as(doctor.err()).isZero();
    JsonNode report = jsonLines(doctor.out()).get(0);
    assertThat(jsonLines(doctor.out())).hasSize(1);
    assertThat(report.at("/createIfAbsent/concurrent/atomic").asBoolean()).isTrue();
    assertThat(report.get("protocols"))
        .containsExactly(JSON.readTree("\"causal\""), JSON.readTree("\"strict\""));
    assertThat(report.has("browsers")).isFalse(); // a local directory serves no browser

    Cli.Result check = cli.run("doctor", "--manifest", "manifest.json", "--json");
    assertThat(check.exit()).as(check.err()).isZero();
    JsonNode manifest = jsonLines(check.out()).get(0);
    assertThat(manifest.get("manifest").asText()).isEqualTo("manifest.json");
    assertThat(manifest.get("protocol").asText()).isEqualTo("causal");
    assertThat(manifest.get("unreadable")).isEmpty();
    assertThat(manifest.get("valid").asInt()).isPositive();
    // its size and what a put costs there (issue #13): the newest entry carries all 302 keys
    assertThat(manifest.get("keys").asInt()).isEqualTo(302);
    assertThat(manifest.get("entryBytes").asLong()).isGreaterThan(302L * 40);
    assertThat(manifest.get("keysAdvised").asInt()).isEqualTo(5_000);
    assertThat(cli.run("doctor", "--manifest", "manifest.json").out())
        .contains("size: 302 keys; a put writes about ")
        .contains("a causal manifest should hold at most 5,000 keys");

    Cli.Result repair = cli.run("repair", "--manifest", "manifest.json", "--json");
    assertThat(repair.exit()).as(repair.err()).isZero();
    JsonNode plan = jsonLines(repair.out()).get(0);
    assertThat(plan.get("plan")).isEmpty();
    assertThat(plan.get("toMove").asInt()).isZero();
    assertThat(plan.get("dryRun").asBoolean()).isTrue();
  }

  @Test
  void completion_printsABashScript_namingEveryCommandAndOption() {
    Cli.Result completion = cli().run("completion");
    assertThat(completion.exit()).as(completion.err()).isZero();
    assertThat(completion.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_mps3")
        .contains("--create-bucket", "--journal", "--strict", "--json", "--port", "--bind");
    assertThat(completion.out())
        .contains(
            "local commands=\"put get delete keys watch console import export doctor repair log mb"
                + " demo completion help\"");
  }

  @Test
  void progress_showsOnATerminal_evenWhenOutputGoesToAFile_butNotWithJson() throws Exception {
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      ndjson.append("{\"key\":\"p/").append(i).append("\",\"value\":").append(i).append("}\n");
    }
    Files.writeString(dir.resolve("in.ndjson"), ndjson, StandardCharsets.UTF_8);
    Cli cli = Cli.process(dir, Map.of()); // the terminal test is about the process's own stderr
    assertThat(cli.run("import", "in.ndjson").err()).isEmpty(); // standard error is a file here

    Cli.Result onTerminal = cli.runOnTerminal("out.ndjson", "export");
    assertThat(onTerminal.exit()).as(onTerminal.err()).isZero();
    assertThat(onTerminal.err()).contains("exported 300 keys");
    assertThat(onTerminal.out().strip().lines()).hasSize(300);

    Cli.Result json = cli.runOnTerminal("json.ndjson", "export", "--json");
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(json.err()).doesNotContain("exported");
    assertThat(json.out().strip().lines()).hasSize(300);
  }
}
