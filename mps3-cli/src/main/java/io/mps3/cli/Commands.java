package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Absent;
import io.mps3.Mps3Client;
import io.mps3.spi.ObjectStore;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The small subcommands: put, get, delete, keys. */
final class Commands {

  private Commands() {}

  @Command(
      mixinStandardHelpOptions = true,
      name = "put",
      description = "Writes a JSON value to a key.",
      footer = {
        "",
        "Examples:",
        "  mps3 put users/42 '{\"name\": \"Ada\"}'",
        "  mps3 put users/42 '\"Ada\"' --endpoint http://localhost:9000 --bucket new --create-bucket"
      })
  static final class Put extends StoreCommand {
    @Mixin CreateBucketOption creation = new CreateBucketOption();

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key = "";

    @Parameters(index = "1", paramLabel = "JSON", description = "The value, a JSON document.")
    String json = "";

    @Override
    void prepare(ObjectStore store) {
      creation.apply(options, store);
    }

    @Override
    int run(Mps3Client client, ObjectStore store) throws InterruptedException {
      Writes writes = writes(client);
      writes.write(Map.of(key, Json.parse(json, "the value of " + key)));
      writes.report(err(), "put");
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "get",
      description = "Prints a key's JSON value; exits with 1 when the key is absent.",
      footer = {"", "Exit code 1: the key is absent.", "", "Example:", "  mps3 get users/42"})
  static final class Get extends StoreCommand {
    @Mixin JsonOption json = new JsonOption();

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key = "";

    @Override
    int run(Mps3Client client, ObjectStore store) {
      Optional<JsonNode> value = client.get(key);
      if (value.isEmpty()) {
        err().println("mps3: no value for " + Json.key(key) + " in " + options.manifest);
        return 1;
      }
      out().println(Json.line(value.get()));
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "delete",
      description = "Deletes a key (deleting an absent key succeeds).",
      footer = {"", "Example:", "  mps3 delete users/42"})
  static final class Delete extends StoreCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key = "";

    @Override
    int run(Mps3Client client, ObjectStore store) throws InterruptedException {
      Writes writes = writes(client);
      writes.write(Map.of(key, Absent.ABSENT));
      writes.report(err(), "delete");
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "keys",
      description = "Prints the keys of the manifest, one JSON string a line, sorted.",
      footer = {"", "Example:", "  mps3 keys users/"})
  static final class Keys extends StoreCommand {
    @Mixin JsonOption json = new JsonOption();

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PREFIX",
        description = "Only keys starting with it.")
    String prefix = "";

    @Override
    int run(Mps3Client client, ObjectStore store) {
      for (String key : client.keys(prefix)) {
        out().println(Json.key(key));
      }
      return 0;
    }
  }
}
