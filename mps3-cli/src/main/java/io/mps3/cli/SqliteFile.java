package io.mps3.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;

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
}
