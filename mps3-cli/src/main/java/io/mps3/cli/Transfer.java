package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Import and export of NDJSON key/value lines. */
final class Transfer {

  private Transfer() {}

  @Command(
      mixinStandardHelpOptions = true,
      name = "import",
      description = {
        "Writes the keys of an NDJSON file, one {\"key\": K, \"value\": V} a line",
        "({\"key\": K, \"deleted\": true} deletes), in atomic batches."
      },
      footer = {
        "",
        "Example:",
        "  mps3 import backup.ndjson",
        "  mps3 export | mps3 --dir other import -"
      })
  static final class Import extends StoreCommand {
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
    int run(Mps3Client client, ObjectStore store) throws IOException {
      List<String> lines = read();
      Progress progress = new Progress(err(), "imported", lines.size());
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
          done += flush(client, pending);
          progress.show(done);
        }
      }
      done += flush(client, pending);
      progress.done(done);
      return 0;
    }

    private List<String> read() throws IOException {
      if (file.equals("-")) {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
          List<String> lines = new ArrayList<>();
          for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
          }
          return lines;
        }
      }
      try {
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new UsageException("no such file: " + file);
      }
    }

    private static int flush(Mps3Client client, Map<String, Object> pending) {
      int n = pending.size();
      if (n > 0) {
        client.putAll(pending);
        pending.clear();
      }
      return n;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "export",
      description =
          "Prints every key of the manifest as NDJSON: {\"key\": K, \"value\": V} a line, sorted.",
      footer = {"", "Example:", "  mps3 export > backup.ndjson"})
  static final class Export extends StoreCommand {
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
      Progress progress = new Progress(err(), "exported", keys.size());
      List<String> unreadable = new ArrayList<>();
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
            unreadable.add(unreadable(e));
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

    /** Lists the keys left out, after the others; exit code 1 when there are any. */
    private int report(List<String> unreadable) {
      if (unreadable.isEmpty()) {
        return 0;
      }
      err().println("mps3 export: " + unreadable.size() + " keys could not be read, left out:");
      for (String reason : unreadable) {
        err().println("  " + reason.replace('\n', ' ').replace('\r', ' '));
      }
      err().flush();
      return 1;
    }
  }
}
