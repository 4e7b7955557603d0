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
import java.io.PrintWriter;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/** Import and export of NDJSON key/value lines. */
final class Transfer {

  private Transfer() {}

  @Command(
      mixinStandardHelpOptions = true,
      name = "import",
      description = {
        "Writes the keys of an NDJSON file or a SQLite export in atomic batches.",
        "Writes the keys of an NDJSON file, one {\"key\": K, \"value\": V} a line ({\"key\": K,"
            + " \"deleted\": true} deletes), in atomic batches, with a progress bar on a"
            + " terminal.",
        "With --from sqlite:FILE, the tables of a file written by export --to sqlite:FILE, each"
            + " into the manifest it was exported from (with --manifest, into that one; then the"
            + " file must hold one table or --only picks it). The whole file is checked first: a"
            + " missing table or column, a NULL or invalid key or a value that is not JSON stops"
            + " the import before anything is written, naming the table and the key."
      },
      footer = {
        "",
        "Examples:",
        "  mps3 import backup.ndjson",
        "  mps3 export | mps3 --dir other import -",
        "  mps3 import --from sqlite:backup.db --only rooms/lobby.json"
      })
  static final class Import extends StoreCommand {
    @Mixin CreateBucketOption creation = new CreateBucketOption();

    @Mixin JsonOption json = new JsonOption();

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "FILE",
        description = "The NDJSON file, or - for standard input.")
    String file = "-";

    @Option(
        names = "--from",
        paramLabel = "sqlite:FILE",
        description = "Read a SQLite file written by export --to sqlite:FILE instead.")
    @Nullable String from;

    @Option(
        names = "--only",
        paramLabel = "KEY",
        description = "With --from: only the table of manifest KEY.")
    @Nullable String only;

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
      if (from != null) {
        return fromSqlite(client, options.context().resolve(SqliteFile.parse(from, "--from")));
      }
      if (only != null) {
        throw new UsageException("--only goes with --from sqlite:FILE");
      }
      if (!spec.commandLine().getParseResult().hasMatchedPositional(0)) {
        throw new UsageException("give FILE (- for standard input) or --from sqlite:FILE");
      }
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

    private int fromSqlite(Mps3Client client, Path sqlite) throws InterruptedException {
      ParseResult parsed = spec.commandLine().getParseResult();
      if (parsed.hasMatchedPositional(0)) {
        throw new UsageException("give FILE or --from sqlite:FILE, not both");
      }
      String into = parsed.hasMatchedOption("--manifest") ? options.manifest : null;
      Writes writes = writes(client);
      int done =
          SqliteImport.run(
              sqlite, only, into, batch, writes, n -> json.progress(err(), "imported", n));
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
        "Prints the keys and values of the manifest as NDJSON, or writes them to SQLite.",
        "Prints every key of the manifest as NDJSON: {\"key\": K, \"value\": V} a line, sorted,"
            + " with a progress bar on a terminal. Keys it cannot read are left out and listed"
            + " on standard error after the others.",
        "With --to sqlite:FILE, writes a new SQLite file instead: one table per manifest, named"
            + " after it, with the columns key, value (the JSON text get prints), version and"
            + " written_at (ISO-8601 UTC, NULL where unknown), and the table mps3_export saying"
            + " which table holds which manifest. FILE appears only when complete; an existing"
            + " one is replaced only with --force."
      },
      footer = {
        "",
        "Exit code 1: keys could not be read and were left out.",
        "",
        "Examples:",
        "  mps3 export > backup.ndjson",
        "  mps3 export --to sqlite:backup.db --also-manifest rooms/lobby.json",
        "  sqlite3 backup.db \"SELECT key, json_extract(value, '$.name') FROM \\\"manifest.json\\\"\""
      })
  static final class Export extends StoreCommand {
    @Mixin JsonOption json = new JsonOption();

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PREFIX",
        description = "Only keys starting with it.")
    String prefix = "";

    @Option(
        names = "--to",
        paramLabel = "sqlite:FILE",
        description = "Write a new SQLite file instead of NDJSON on standard output.")
    @Nullable String to;

    @Option(
        names = "--also-manifest",
        paramLabel = "KEY",
        description = "With --to: export manifest KEY too, into a table of its own (repeatable).")
    List<String> alsoManifests = new ArrayList<>();

    @Option(names = "--force", description = "With --to: replace FILE if it exists.")
    boolean force;

    @Override
    int run(Mps3Client client, ObjectStore store) throws IOException {
      if (to != null) {
        return SqliteExport.run(
            this, client, store, options.context().resolve(SqliteFile.parse(to, "--to")));
      }
      if (force || !alsoManifests.isEmpty()) {
        throw new UsageException("--force and --also-manifest go with --to sqlite:FILE");
      }
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
      return report(err(), json.json, unreadable);
    }

    /**
     * A key that cannot be read (another client wrote one this client would not, issue #18) does
     * not stop the export: the others are worth more than a clean exit. An error of an invalid kind
     * names the key; any other (the store failing) stops the export as before.
     */
    static String unreadable(CompletionException e) {
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
    static int report(PrintWriter err, boolean json, Map<String, String> unreadable) {
      if (unreadable.isEmpty()) {
        return 0;
      }
      if (json) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        ArrayNode keys = line.putArray("unreadable");
        unreadable.forEach((key, reason) -> keys.addObject().put("key", key).put("reason", reason));
        err.println(line);
        err.flush();
        return 1;
      }
      err.println("mps3 export: " + unreadable.size() + " keys could not be read, left out:");
      for (String reason : unreadable.values()) {
        err.println("  " + reason.replace('\n', ' ').replace('\r', ' '));
      }
      err.flush();
      return 1;
    }
  }
}
