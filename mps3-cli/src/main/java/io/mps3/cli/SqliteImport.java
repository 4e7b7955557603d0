package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Mps3Exception;
import io.mps3.WriteOptions;
import io.mps3.spi.ObjectKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * {@code import --from sqlite:FILE}: writes the tables of a file {@code export --to sqlite:FILE}
 * wrote (format in {@link SqliteFile}), each into its manifest, in atomic batches. The whole file
 * is read and checked first (tables, columns, keys, JSON values), so a bad file writes nothing; a
 * store failure during the writes says how many keys were written before it.
 */
final class SqliteImport {

  /** A table to import and the manifest it goes to. */
  record Source(String table, String manifest) {}

  private final Path file;
  private final Connection db;

  private SqliteImport(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Imports {@code file}: every table, or only the one of manifest {@code only}; each into the
   * manifest it was exported from, or all into {@code into} (which then takes exactly one table).
   * Returns the number of keys written.
   */
  static int run(
      Path file,
      @Nullable String only,
      @Nullable String into,
      int batch,
      Writes writes,
      IntFunction<Progress> progressOf)
      throws InterruptedException {
    try (Connection db = SqliteFile.openReadOnly(file)) {
      SqliteImport in = new SqliteImport(file, db);
      List<Source> sources = in.sources(only, into);
      int total = 0;
      for (Source source : sources) {
        total += in.check(source);
      }
      Progress progress = progressOf.apply(total);
      int done = 0;
      for (Source source : sources) {
        done = in.write(source, batch, writes, progress, done, total);
      }
      progress.done(done);
      return done;
    } catch (SQLException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The tables to import, from the metadata table. */
  private List<Source> sources(@Nullable String only, @Nullable String into) throws SQLException {
    List<Source> all = new ArrayList<>();
    try (Statement query = db.createStatement();
        ResultSet rows =
            query.executeQuery(
                "SELECT table_name, manifest, format FROM "
                    + SqliteFile.META
                    + " ORDER BY rowid")) {
      while (rows.next()) {
        if (rows.getInt(3) > SqliteFile.FORMAT) {
          throw new UsageException(
              file
                  + " is of format "
                  + rows.getInt(3)
                  + ", newer than this mps3 reads ("
                  + SqliteFile.FORMAT
                  + ")");
        }
        all.add(new Source(rows.getString(1), rows.getString(2)));
      }
    } catch (SQLException e) {
      if (!tableExists(SqliteFile.META)) {
        throw new UsageException(
            file
                + " has no table "
                + SqliteFile.META
                + ": it was not written by mps3 export --to sqlite:FILE");
      }
      throw new UsageException(
          "the table " + SqliteFile.META + " of " + file + ": " + e.getMessage());
    }
    List<Source> chosen = new ArrayList<>();
    for (Source source : all) {
      if (only == null || source.manifest().equals(only)) {
        chosen.add(into == null ? source : new Source(source.table(), into));
      }
    }
    if (chosen.isEmpty()) {
      throw new UsageException(
          file
              + (only == null ? " holds no table" : " holds no manifest " + Json.key(only))
              + " (it holds: "
              + String.join(", ", all.stream().map(s -> Json.key(s.manifest())).toList())
              + ")");
    }
    if (into != null && chosen.size() > 1) {
      throw new UsageException(
          file
              + " holds "
              + chosen.size()
              + " manifests; with --manifest, pick one with --only KEY");
    }
    return chosen;
  }

  /** Checks a table's columns, keys and values; returns its number of rows. */
  private int check(Source source) throws SQLException {
    String table = Json.key(source.table());
    if (!tableExists(source.table())) {
      throw new UsageException(
          file + " has no table " + table + " (of manifest " + Json.key(source.manifest()) + ")");
    }
    Set<String> columns = new HashSet<>();
    try (Statement query = db.createStatement();
        ResultSet rows =
            query.executeQuery("PRAGMA table_info(" + SqliteFile.quote(source.table()) + ")")) {
      while (rows.next()) {
        columns.add(rows.getString("name"));
      }
    }
    for (String column : List.of("key", "value")) {
      if (!columns.contains(column)) {
        throw new UsageException("the table " + table + " of " + file + " has no column " + column);
      }
    }
    int n = 0;
    try (ResultSet rows = select(source)) {
      while (rows.next()) {
        parse(source, rows);
        n++;
      }
    }
    return n;
  }

  /** Writes a table in atomic batches; returns the keys written so far, this table's included. */
  private int write(Source source, int batch, Writes writes, Progress progress, int done, int total)
      throws SQLException, InterruptedException {
    WriteOptions to = WriteOptions.manifests(source.manifest());
    Map<String, Object> pending = new LinkedHashMap<>();
    int written = done;
    try (ResultSet rows = select(source)) {
      while (rows.next()) {
        Map.Entry<String, JsonNode> row = parse(source, rows);
        pending.put(row.getKey(), row.getValue());
        if (pending.size() >= batch) {
          written = flush(writes, pending, to, source, written, total);
          progress.show(written);
        }
      }
    }
    written = flush(writes, pending, to, source, written, total);
    progress.show(written);
    return written;
  }

  private int flush(
      Writes writes,
      Map<String, Object> pending,
      WriteOptions to,
      Source source,
      int done,
      int total)
      throws InterruptedException {
    if (pending.isEmpty()) {
      return done;
    }
    try {
      writes.write(pending, to);
    } catch (Mps3Exception e) {
      throw new Mps3Exception(
          e.kind(),
          "writing manifest "
              + Json.key(source.manifest())
              + " from table "
              + Json.key(source.table())
              + " failed after "
              + done
              + " of "
              + total
              + " keys were written (each batch is atomic; the failed one was not written or its"
              + " outcome is unknown): "
              + e.getMessage(),
          e);
    }
    int n = done + pending.size();
    pending.clear();
    return n;
  }

  private ResultSet select(Source source) throws SQLException {
    PreparedStatement query =
        db.prepareStatement(
            "SELECT key, value FROM " + SqliteFile.quote(source.table()) + " ORDER BY key");
    query.closeOnCompletion();
    return query.executeQuery();
  }

  /** A row's key and value, or a usage error naming the table and the key. */
  private Map.Entry<String, JsonNode> parse(Source source, ResultSet row) throws SQLException {
    String table = Json.key(source.table());
    String key = row.getString(1);
    if (key == null) {
      throw new UsageException(
          "the table " + table + " of " + file + " has a row whose key is NULL");
    }
    try {
      ObjectKeys.requireValidKey(key);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "the key " + Json.key(key) + " in table " + table + ": " + e.getMessage());
    }
    String value = row.getString(2);
    if (value == null) {
      throw new UsageException(
          "the value of "
              + Json.key(key)
              + " in table "
              + table
              + " is NULL, not JSON (JSON null is"
              + " the text null)");
    }
    return Map.entry(
        key, Json.parse(value, "the value of " + Json.key(key) + " in table " + table));
  }

  private boolean tableExists(String name) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }
}
