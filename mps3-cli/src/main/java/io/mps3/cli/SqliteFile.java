package io.mps3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The SQLite file of {@code export --to sqlite:FILE} and {@code import --from sqlite:FILE}: one
 * table per manifest, {@code (key TEXT PRIMARY KEY, value TEXT, version TEXT, written_at TEXT)},
 * and the table {@value #META} saying which table holds which manifest, exported from where and
 * when. The value is the JSON text {@code get} prints, so SQLite's JSON functions work on it.
 *
 * <p>A table is named after its manifest, quoted, so {@code SELECT * FROM "manifest.json"} works
 * for any manifest name (quotes, dots, slashes, any Unicode). Three kinds of name cannot be a
 * table's: SQLite reserves names starting with {@code sqlite_}, {@value #META} is taken, and SQLite
 * compares ASCII letters in names without case, so {@code A} and {@code a} would be one table. Such
 * a manifest's table gets a suffix ({@code " (2)"}); the metadata table always says which is which.
 *
 * <p>This class owns the schema: it writes a whole file ({@link #write}) and opens one to read.
 */
final class SqliteFile {

  /** The metadata table. */
  static final String META = "mps3_export";

  /** The format of the file; an import refuses a newer one. */
  static final int FORMAT = 1;

  private static final String SCHEME = "sqlite:";

  private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private SqliteFile() {}

  /** The file of {@code sqlite:FILE}; any other form is bad usage, named with its option. */
  static Path parse(String target, String option) {
    if (!target.startsWith(SCHEME) || target.length() == SCHEME.length()) {
      throw new UsageException(
          option + " takes sqlite:FILE (the only kind of target so far), not '" + target + "'");
    }
    return Path.of(target.substring(SCHEME.length()));
  }

  /** An identifier quoted for SQL: any text, a double quote doubled. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** A table name for a manifest, unlike every name in {@code taken} (compared as SQLite does). */
  static String tableName(String manifest, Collection<String> taken) {
    String name = manifest;
    for (int n = 2; !usable(name, taken); n++) {
      name = manifest + " (" + n + ")";
    }
    return name;
  }

  private static boolean usable(String name, Collection<String> taken) {
    String folded = asciiLower(name);
    if (folded.startsWith("sqlite_") || folded.equals(META) || name.indexOf('\0') >= 0) {
      return false;
    }
    return taken.stream().noneMatch(t -> asciiLower(t).equals(folded));
  }

  /** SQLite folds only ASCII letters when it compares names. */
  private static String asciiLower(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  /** A new database in {@code file}, which must not exist yet. */
  static Connection create(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toUri().toASCIIString() + "?mode=rwc");
  }

  /**
   * An existing file, read-only; a clear error when it is missing or not a SQLite database (SQLite
   * would say only "file is not a database", and only at the first query).
   */
  static Connection openReadOnly(Path file) throws SQLException {
    byte[] start = new byte[HEADER.length];
    try (InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(start, 0, start.length);
      if (n < start.length || !Arrays.equals(start, HEADER)) {
        throw new UsageException(file + " is not a SQLite database");
      }
    } catch (NoSuchFileException e) {
      throw new UsageException("no such file: " + file);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
    return DriverManager.getConnection("jdbc:sqlite:" + file.toUri().toASCIIString() + "?mode=ro");
  }

  /** One key of a table. */
  record Row(String key, JsonNode value, @Nullable Object version, @Nullable Instant writtenAt) {}

  /** One manifest's keys, in the table of that name. */
  record Table(String manifest, String name, List<Row> rows) {}

  /**
   * Writes the tables to {@code file}: a new file renamed into place when complete; an existing one
   * is replaced only when {@code replace} (checked before reading, and again at the rename).
   */
  static void write(Path file, List<Table> tables, Metadata about, boolean replace)
      throws SQLException, IOException {
    Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "the directory");
    // Not Files.createTempFile: its file is private (0600); SQLite makes one as any other file.
    Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".partial");
    boolean moved = false;
    try {
      try (Connection db = create(temp)) {
        db.setAutoCommit(false);
        fill(db, tables, about);
        db.commit();
      }
      if (replace) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.move(temp, file); // fails if FILE appeared meanwhile
      }
      moved = true;
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(file + " exists; pass --force to replace it");
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
        Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + "-journal"));
      }
    }
  }

  /** What the metadata table says of each table besides its manifest. */
  record Metadata(String protocol, String store, String bucket, Instant exportedAt) {}

  private static void fill(Connection db, List<Table> tables, Metadata about) throws SQLException {
    try (Statement ddl = db.createStatement()) {
      ddl.execute(
          "CREATE TABLE "
              + META
              + " (table_name TEXT PRIMARY KEY, manifest TEXT NOT NULL, protocol TEXT NOT NULL,"
              + " store TEXT NOT NULL, bucket TEXT NOT NULL, exported_at TEXT NOT NULL,"
              + " keys INTEGER NOT NULL, version_is TEXT NOT NULL, format INTEGER NOT NULL)");
      for (Table table : tables) {
        ddl.execute(
            "CREATE TABLE "
                + quote(table.name())
                + " (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, version, written_at TEXT)");
      }
    }
    boolean strict = about.protocol().equals("strict");
    try (PreparedStatement meta =
        db.prepareStatement("INSERT INTO " + META + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Table table : tables) {
        meta.setString(1, table.name());
        meta.setString(2, table.manifest());
        meta.setString(3, about.protocol());
        meta.setString(4, about.store());
        meta.setString(5, about.bucket());
        meta.setString(6, about.exportedAt().toString());
        meta.setLong(7, table.rows().size());
        meta.setString(
            8,
            strict
                ? "the strict log's slot that wrote the value"
                : "the id of the content object the value was read from");
        meta.setInt(9, FORMAT);
        meta.executeUpdate();
        insert(db, table);
      }
    }
  }

  private static void insert(Connection db, Table table) throws SQLException {
    try (PreparedStatement row =
        db.prepareStatement("INSERT INTO " + quote(table.name()) + " VALUES (?, ?, ?, ?)")) {
      for (Row r : table.rows()) {
        row.setString(1, r.key());
        row.setString(2, Json.line(r.value()));
        row.setObject(3, r.version());
        Instant time = r.writtenAt();
        row.setObject(4, time == null ? null : time.toString());
        row.addBatch();
      }
      row.executeBatch();
    }
  }
}
