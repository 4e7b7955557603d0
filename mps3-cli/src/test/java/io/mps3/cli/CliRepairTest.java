package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.store.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mps3 doctor --manifest} and {@code mps3 repair} on the local directory (the default). */
class CliRepairTest extends RepairScenario {

  @TempDir Path dir;

  @Override
  Cli.Result mps3(String... args) {
    return new Cli(dir, Map.of()).run(args);
  }

  @Override
  ObjectStore openStore() {
    return ObjectStores.localDirectory(dir.resolve("mps3-data"));
  }

  @Override
  String bucket() {
    return "mps3";
  }

  @Test
  void json_doctorAndRepair_printTheFindingsThePlanAndTheMoves() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(mps3("put", "a", "1").exit()).isZero();
    try (ObjectStore store = openStore()) {
      store
          .put(
              bucket(),
              GARBAGE_ENTRY,
              "{\"files\": {}}".getBytes(StandardCharsets.UTF_8),
              PutOptions.unconditional().withContentType(PutOptions.JSON))
          .join();
    }

    Cli.Result doctor = mps3("doctor", "--manifest", "manifest.json", "--json");
    assertThat(doctor.exit()).as(doctor.err()).isEqualTo(1);
    JsonNode found = json.readTree(doctor.out());
    assertThat(found.at("/unreadable/0/key").asText()).isEqualTo(GARBAGE_ENTRY);
    assertThat(found.at("/unreadable/0/reason").asText()).contains("is not base 32");

    Cli.Result plan = mps3("repair", "--manifest", "manifest.json", "--json");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(1);
    JsonNode step = json.readTree(plan.out()).at("/plan/0");
    assertThat(step.get("key").asText()).isEqualTo(GARBAGE_ENTRY);
    assertThat(step.get("action").asText()).isEqualTo("move");
    assertThat(step.get("to").asText()).startsWith(".mps3/quarantine/").endsWith(GARBAGE_ENTRY);
    assertThat(json.readTree(plan.out()).get("dryRun").asBoolean()).isTrue();

    Cli.Result yes = mps3("repair", "--manifest", "manifest.json", "--yes", "--json");
    assertThat(yes.exit()).as(yes.err()).isZero();
    List<String> lines = yes.out().strip().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(json.readTree(lines.get(0)).get("dryRun").asBoolean()).isFalse();
    JsonNode moved = json.readTree(lines.get(1));
    assertThat(moved.get("key").asText()).isEqualTo(GARBAGE_ENTRY);
    assertThat(moved.get("outcome").asText()).isEqualTo("moved");
    assertThat(moved.get("to").asText()).startsWith(".mps3/quarantine/");
  }
}
