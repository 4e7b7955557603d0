package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.Absent;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.spi.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Import and export of NDJSON key/value lines. */
final class Transfer {

  private Transfer() {}

  @Command(
      mixinStandardHelpOptions = true,
      name = "import",
      description = {
        "Writes the keys of an NDJSON file in atomic batches.",
        "Writes the keys of an NDJSON file, one {\"key\": K, \"value\": V} a line ({\"key\": K,"
            + " \"deleted\": true} deletes), in atomic batches, with a progress bar on a"
            + " terminal."
      },
      footer = {
        "",
        "Example:",
        "  mps3 import backup.ndjson",
        "  mps3 export | mps3 --dir other import -"
      })
  static final class Import extends StoreCommand {
    @Mixin CreateBucketOption creation = new CreateBucketOption();

    @Mixin JsonOption json = new JsonOption();

    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "The file, or - for standard input.")
    String file = "-";

    @Option(
        names = "--batch",
        paramLabel = "N",
        description = "Keys per atomic write (default: ${DEFAULT-VALUE}).",
        defaultValue = "1000")
    int batch = 1000;

    @Override
    void prepare(ObjectStore store) {
      creation.apply(options, store);
    }

    @Override
    int run(Mps3Client client, ObjectStore store) throws IOException, InterruptedException {
      List<String> lines = read();
      Progress progress = json.progress(err(), "imported", lines.size());
      Writes writes = writes(client);
      Map<String, Object> pending = new LinkedHashMap<>();
      int done = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).trim();
        if (line.isEmpty()) {
          continue;
        }
        JsonNode record = Json.parse(line, "line " + (i + 1));
        JsonNode key = record.get("key");
        if (key == null
            || !key.isTextual()
            || (!record.has("value") && !record.path("deleted").asBoolean())) {
          throw new UsageException(
              "line "
                  + (i + 1)
                  + " must be {\"key\": \"...\", \"value\": ...} or {\"key\": \"...\", \"deleted\": true}");
        }
        pending.put(key.asText(), record.has("value") ? record.get("value") : Absent.ABSENT);
        if (pending.size() >= batch) {
          done += flush(writes, pending);
          progress.show(done);
        }
      }
      done += flush(writes, pending);
      progress.done(done);
      writes.report(err(), "import");
      if (json.json) {
        out().println(Json.MAPPER.createObjectNode().put("keys", done));
      }
      return 0;
    }

    private List<String> read() throws IOException {
      if (file.equals("-")) {
        try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(options.context().in(), StandardCharsets.UTF_8))) {
          List<String> lines = new ArrayList<>();
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
          return lines;
        }
      }
      try {
        return Files.readAllLines(options.context().resolve(Path.of(file)), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UsageException("no such file: " + file);
      }
    }

    private static int flush(Writes writes, Map<String, Object> pending)
        throws InterruptedException {
      int n = pending.size();
      if (n > 0) {
        writes.write(pending);
        pending.clear();
      }
      return n;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "export",
      description = {
        "Prints the keys and values of the manifest as NDJSON.",
        "Prints every key of the manifest as NDJSON: {\"key\": K, \"value\": V} a line, sorted,"
            + " with a progress bar on a terminal. Keys it cannot read are left out and listed"
            + " on standard error after the others."
      },
      footer = {
        "",
        "Exit code 1: keys could not be read and were left out.",
        "",
        "Example:",
        "  mps3 export > backup.ndjson"
      })
  static final class Export extends StoreCommand {
    @Mixin JsonOption json = new JsonOption();

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PREFIX",
        description = "Only keys starting with it.")
    String prefix = "";

    @Override
    int run(Mps3Client client, ObjectStore store) {
      Mps3AsyncClient async = client.async();
      List<String> keys = client.keys(prefix);
      Progress progress = json.progress(err(), "exported", keys.size());
      Map<String, String> unreadable = new LinkedHashMap<>();
      for (int start = 0; start < keys.size(); start += 64) {
        List<String> slice = keys.subList(start, Math.min(keys.size(), start + 64));
        List<CompletableFuture<Optional<JsonNode>>> values = new ArrayList<>();
        for (String key : slice) {
          values.add(async.get(key));
        }
        for (int i = 0; i < slice.size(); i++) {
          Optional<JsonNode> value;
          try {
            value = values.get(i).join();
          } catch (CompletionException e) {
            unreadable.put(slice.get(i), unreadable(e));
            continue;
          }
          if (value.isPresent()) {
            out().println(Json.change(slice.get(i), value.get()));
          }
        }
        progress.show(start + slice.size());
      }
      out().flush();
      progress.done(keys.size());
      return report(unreadable);
    }

    /**
     * A key that cannot be read (another client wrote one this client would not, issue #18) does
     * not stop the export: the others are worth more than a clean exit. An error of an invalid kind
     * names the key; any other (the store failing) stops the export as before.
     */
    private static String unreadable(CompletionException e) {
      if (e.getCause() instanceof Mps3Exception failure && failure.kind() == ErrorKind.INVALID) {
        return failure.getMessage();
      }
      throw e;
    }

    /**
     * Lists the keys left out, after the others, on standard error (standard output is the data,
     * which {@code import} reads back); exit code 1 when there are any. With --json, one line:
     * {@code {"unreadable": [{"key": K, "reason": R}, ...]}}.
     */
    private int report(Map<String, String> unreadable) {
      if (unreadable.isEmpty()) {
        return 0;
      }
      if (json.json) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        ArrayNode keys = line.putArray("unreadable");
        unreadable.forEach((key, reason) -> keys.addObject().put("key", key).put("reason", reason));
        err().println(line);
        err().flush();
        return 1;
      }
      err().println("mps3 export: " + unreadable.size() + " keys could not be read, left out:");
      for (String reason : unreadable.values()) {
        err().println("  " + reason.replace('\n', ' ').replace('\r', ' '));
      }
      err().flush();
      return 1;
    }
  }
}
