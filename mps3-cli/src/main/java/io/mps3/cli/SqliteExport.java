package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ManifestLog;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Client;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.Versioned;
import io.mps3.cli.SqliteFile.Metadata;
import io.mps3.cli.SqliteFile.Row;
import io.mps3.cli.SqliteFile.Table;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * {@code export --to sqlite:FILE}: reads manifests and writes them to a new SQLite file (format in
 * {@link SqliteFile}). The file is written under a temporary name in the same directory and renamed
 * when complete, so FILE is either the whole export or not there (or, with --force, still the old
 * one): a failed export leaves nothing that looks like one.
 *
 * <p>Versions and write times. Strict: the version is the slot of the log entry that wrote the
 * value (what {@code getVersioned} returns, what a compare-and-set expects), read with the value in
 * one call; the time is that slot object's LastModified, from one listing of the log after the
 * values were read, NULL when the slot was cleaned up after a checkpoint. Causal: the version is
 * the id of the content object the manifest state maps the key to ({@code K@<id>}, PROTOCOL.md A1),
 * and the time that object's LastModified (one HEAD a key; NULL in versioned mode, where the object
 * is {@code K} itself and its newest version may be another). The state is resolved before and
 * after the values are read (the client refreshed in between); a key whose content id differs
 * between the two was written meanwhile, and gets NULL for both rather than an id that may not
 * match its value.
 */
final class SqliteExport {

  private static final int SLICE = 64;

  private final StoreOptions options;
  private final ObjectStore store;
  private final Mps3AsyncClient client;
  private final String prefix;
  private final Map<String, String> unreadable;

  SqliteExport(
      StoreOptions options,
      ObjectStore store,
      Mps3AsyncClient client,
      String prefix,
      Map<String, String> unreadable) {
    this.options = options;
    this.store = store;
    this.client = client;
    this.prefix = prefix;
    this.unreadable = unreadable;
  }

  /** Runs {@code export --to sqlite:FILE}; returns the exit code. */
  static int run(Transfer.Export command, Mps3Client client, ObjectStore store, Path file)
      throws IOException {
    if (!command.force && Files.exists(file)) {
      throw new UsageException(file + " exists; pass --force to replace it");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException("no such directory: " + parent + " (for " + file + ")");
    }
    StoreOptions options = command.options;
    Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Map<String, String> unreadable = new LinkedHashMap<>();
    SqliteExport export =
        new SqliteExport(options, store, client.async(), command.prefix, unreadable);
    Set<String> manifests = new LinkedHashSet<>();
    manifests.add(options.manifest);
    manifests.addAll(command.alsoManifests);
    List<Table> tables = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String manifest : manifests) {
      String name = SqliteFile.tableName(manifest, names);
      names.add(name);
      List<Row> rows =
          export.read(manifest, n -> command.json.progress(command.err(), "exported", n));
      tables.add(new Table(manifest, name, rows));
    }
    Metadata about = new Metadata(options.protocolName(), options.store(), options.bucket, started);
    try {
      SqliteFile.write(file, tables, about, command.force);
    } catch (SQLException e) {
      throw new UncheckedIOException(
          new IOException("cannot write " + file + ": " + e.getMessage(), e));
    }
    if (command.json.json) {
      ObjectNode line = Json.MAPPER.createObjectNode().put("file", file.toString());
      ArrayNode list = line.putArray("tables");
      for (Table table : tables) {
        list.addObject()
            .put("manifest", table.manifest())
            .put("table", table.name())
            .put("keys", table.rows().size());
      }
      command.out().println(line);
    }
    return Transfer.Export.report(command.err(), command.json.json, unreadable);
  }

  /**
   * Reads a manifest's keys (those starting with the prefix), values, versions and times, with a
   * progress line made for the number of keys; unreadable keys go to the map.
   */
  List<Row> read(String manifest, IntFunction<Progress> progressOf) {
    ReadOptions from = ReadOptions.manifest(manifest);
    if (options.protocol() == Protocol.STRICT) {
      List<String> keys = client.keys(prefix, from).join();
      return readStrict(manifest, from, keys, progressOf.apply(keys.size()));
    }
    Map<String, String> before = ManifestLog.read(store, options.bucket, manifest, 0).state();
    client.refresh().join(); // the values read below are at least as new as `before`
    List<String> keys = client.keys(prefix, from).join();
    return readCausal(manifest, from, keys, before, progressOf.apply(keys.size()));
  }

  private List<Row> readStrict(
      String manifest, ReadOptions from, List<String> keys, Progress progress) {
    if (!(client instanceof StrictAsyncClient strict)) {
      throw new IllegalStateException("a strict export needs a strict client");
    }
    List<Row> rows = new ArrayList<>();
    for (int start = 0; start < keys.size(); start += SLICE) {
      List<String> slice = keys.subList(start, Math.min(keys.size(), start + SLICE));
      List<CompletableFuture<Optional<Versioned>>> values = new ArrayList<>();
      slice.forEach(key -> values.add(strict.getVersioned(key, from)));
      for (int i = 0; i < slice.size(); i++) {
        Optional<Versioned> value = join(slice.get(i), values.get(i));
        if (value != null && value.isPresent()) {
          rows.add(new Row(slice.get(i), value.get().value(), value.get().version(), null));
        }
      }
      progress.show(start + slice.size());
    }
    // Listed after the reads, so each slot read is listed unless a checkpoint let it be removed.
    String prefix = manifest + "/log/";
    Map<Long, Instant> slotTimes = new HashMap<>();
    for (ObjectMetadata slot : store.listAll(options.bucket, prefix, null).join()) {
      String number = slot.key().substring(prefix.length());
      if (!number.isEmpty() && number.chars().allMatch(c -> c >= '0' && c <= '9')) {
        slotTimes.put(Long.parseLong(number), slot.lastModified());
      }
    }
    rows.replaceAll(
        r -> new Row(r.key(), r.value(), r.version(), slotTimes.get((Long) r.version())));
    progress.done(rows.size());
    return rows;
  }

  private List<Row> readCausal(
      String manifest,
      ReadOptions from,
      List<String> keys,
      Map<String, String> before,
      Progress progress) {
    List<Row> rows = new ArrayList<>();
    for (int start = 0; start < keys.size(); start += SLICE) {
      List<String> slice = keys.subList(start, Math.min(keys.size(), start + SLICE));
      List<CompletableFuture<Optional<JsonNode>>> values = new ArrayList<>();
      List<CompletableFuture<Optional<ObjectMetadata>>> contents = new ArrayList<>();
      for (String key : slice) {
        values.add(client.get(key, from));
        String version = before.get(url(key));
        contents.add(
            version == null
                ? CompletableFuture.completedFuture(Optional.empty())
                : store.head(options.bucket, key + "@" + version));
      }
      for (int i = 0; i < slice.size(); i++) {
        Optional<JsonNode> value = join(slice.get(i), values.get(i));
        if (value != null && value.isPresent()) {
          Instant time = contents.get(i).join().map(ObjectMetadata::lastModified).orElse(null);
          rows.add(new Row(slice.get(i), value.get(), before.get(url(slice.get(i))), time));
        }
      }
      progress.show(start + slice.size());
    }
    Map<String, String> after = ManifestLog.read(store, options.bucket, manifest, 0).state();
    rows.replaceAll(
        r ->
            Objects.equals(r.version(), after.get(url(r.key())))
                ? r
                : new Row(r.key(), r.value(), null, null));
    progress.done(rows.size());
    return rows;
  }

  private String url(String key) {
    return options.bucket + "/" + key;
  }

  /** The value, or null when the key cannot be read (left out, as the NDJSON export does). */
  private <T> @Nullable T join(String key, CompletableFuture<T> value) {
    try {
      return value.join();
    } catch (CompletionException e) {
      unreadable.put(key, Transfer.Export.unreadable(e));
      return null;
    }
  }
}
