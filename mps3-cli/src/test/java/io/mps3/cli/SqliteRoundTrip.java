package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.StrictClient;
import io.mps3.WriteOptions;
import io.mps3.spi.ObjectStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Data of every JSON type in two manifests, written with the library and checked after an export to
 * SQLite (plain JDBC, SQLite's JSON functions) and an import back: shared by the local directory
 * test and the S3 one.
 */
final class SqliteRoundTrip {

  /** A manifest name with a quote, dots, a slash and Unicode: its table must still work. */
  static final String ODD_MANIFEST = "odd \"name\".v2/ü";

  static final List<String> MANIFESTS = List.of("manifest.json", ODD_MANIFEST);

  /** Every JSON type, as a user gives values to {@code mps3 put}; keys with slashes and Unicode. */
  static Map<String, JsonNode> values() {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("null", "null");
    text.put("true", "true");
    text.put("false", "false");
    text.put("int", "42");
    text.put("negative", "-7");
    text.put("long", Long.toString(Long.MAX_VALUE));
    text.put("big", "1267650600228229401496703205377"); // 2^100 + 1: beyond a long
    text.put("bigNegative", "-98765432109876543210987654321");
    text.put("decimal", "0.1");
    text.put("exponent", "1.5e300");
    text.put("small", "-2.5e-7");
    text.put("huge", "1e400"); // beyond a double: Infinity if read as one
    text.put("precise", "3.14159265358979323846264338327950288"); // past a double's 17 digits
    text.put("money", "19.990");
    text.put(
        "users/42/profile", "\"héllo wörld ✓ 😀 \\\"quoted\\\" 'single'\\nnew line\\ttab\\\\\"");
    text.put("ünï/çødé/键", "\"\\u0001 control, \\u2028 separator\"");
    text.put("with space & ?#%", "\"\"");
    text.put("quote\"key", "[]");
    text.put("emptyObject", "{}");
    text.put("nested", "{\"a\":[1,{\"b\":[null,true,{\"c\":\"d\"}]}],\"e\":{},\"f\":[[]]}");
    Map<String, JsonNode> values = new LinkedHashMap<>();
    text.forEach((key, json) -> values.put(key, Json.parse(json, key)));
    return values;
  }

  private SqliteRoundTrip() {}

  static Mps3Client client(ObjectStore store, String bucket, Protocol protocol) {
    return Mps3Client.create(
        Mps3Config.builder().store(store).bucket(bucket).protocol(protocol).build());
  }

  /**
   * Writes {@link #values} to both manifests (the odd one: every value but {@code nested}), then
   * {@code int} again, so a strict version differs from the others.
   */
  static void write(Mps3Client client) {
    Map<String, JsonNode> values = values();
    client.putAll(values, WriteOptions.manifests("manifest.json"));
    values.remove("nested");
    client.putAll(values, WriteOptions.manifests(ODD_MANIFEST));
    client.putAll(Map.of("int", Json.parse("43", "int")), WriteOptions.manifests("manifest.json"));
  }

  /** Each manifest's keys and values, as {@code get} prints them; versions of a strict client. */
  static Map<String, Map<String, String>> read(Mps3Client client) {
    Map<String, Map<String, String>> all = new TreeMap<>();
    for (String manifest : MANIFESTS) {
      Map<String, String> values = new TreeMap<>();
      ReadOptions from = ReadOptions.manifest(manifest);
      for (String key : client.async().keys("", from).join()) {
        values.put(key, Json.line(client.async().get(key, from).join().orElseThrow()));
      }
      all.put(manifest, values);
    }
    return all;
  }

  /** The strict version of each key of a manifest. */
  static Map<String, Long> versions(StrictClient client, String manifest) {
    Map<String, Long> versions = new TreeMap<>();
    ReadOptions from = ReadOptions.manifest(manifest);
    for (String key : client.async().keys("", from).join()) {
      versions.put(key, client.getVersioned(key, from).orElseThrow().version());
    }
    return versions;
  }

  static Connection open(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toUri().toASCIIString() + "?mode=ro");
  }

  /**
   * Checks the exported file with plain SQL: the metadata table names both tables, every value is
   * the text {@code get} prints, SQLite's JSON functions read it, every version and time is set.
   * Returns the versions found, table by table.
   */
  static Map<String, Map<String, Object>> checkFile(
      Path file, Map<String, Map<String, String>> expected, String protocol) throws SQLException {
    Map<String, Map<String, Object>> versions = new TreeMap<>();
    try (Connection db = open(file);
        Statement sql = db.createStatement()) {
      Map<String, String> tables = new TreeMap<>();
      try (ResultSet meta =
          sql.executeQuery("SELECT table_name, manifest, protocol, keys FROM mps3_export")) {
        while (meta.next()) {
          tables.put(meta.getString(2), meta.getString(1));
          assertThat(meta.getString(3)).isEqualTo(protocol);
          assertThat(meta.getInt(4))
              .isEqualTo(Objects.requireNonNull(expected.get(meta.getString(2))).size());
        }
      }
      assertThat(tables)
          .isEqualTo(Map.of("manifest.json", "manifest.json", ODD_MANIFEST, ODD_MANIFEST));
      for (String manifest : MANIFESTS) {
        Map<String, String> values = new TreeMap<>();
        Map<String, Object> found = new TreeMap<>();
        try (ResultSet rows =
            sql.executeQuery(
                "SELECT key, value, version, written_at FROM "
                    + SqliteFile.quote(Objects.requireNonNull(tables.get(manifest))))) {
          while (rows.next()) {
            values.put(rows.getString(1), rows.getString(2));
            Object version = rows.getObject(3); // SQLite hands small integers out as Integer
            found.put(rows.getString(1), version instanceof Number n ? n.longValue() : version);
            assertThat(rows.getObject(3)).as("version of %s", rows.getString(1)).isNotNull();
            assertThat(Instant.parse(rows.getString(4))).isNotNull(); // ISO-8601 UTC
          }
        }
        assertThat(values).as(manifest).isEqualTo(expected.get(manifest));
        versions.put(manifest, found);
      }
      try (ResultSet query =
          sql.executeQuery(
              "SELECT json_extract(value, '$.a[1].b[2].c'), json_type(value, '$.f[0]')"
                  + " FROM \"manifest.json\" WHERE key = 'nested'")) {
        assertThat(query.next()).isTrue();
        assertThat(query.getString(1)).isEqualTo("d");
        assertThat(query.getString(2)).isEqualTo("array");
      }
      List<String> arrays = new ArrayList<>();
      try (ResultSet query =
          sql.executeQuery(
              "SELECT key FROM \"odd \"\"name\"\".v2/ü\" WHERE json_type(value) = 'array'")) {
        while (query.next()) {
          arrays.add(query.getString(1));
        }
      }
      assertThat(arrays).containsExactly("quote\"key");
    }
    return versions;
  }
}
