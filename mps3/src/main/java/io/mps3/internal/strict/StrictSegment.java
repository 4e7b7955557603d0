package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.util.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint segment {@code M/segment/<h>} (design 0016): the files of one key range, sorted, as
 * {@code {"files": {url: {..., "seq": s} | null}}}, gzip-compressed (a reader also accepts plain
 * JSON); immutable and named by the hex SHA-256 of its body, so that a reader can tell a torn,
 * tampered or foreign object from the segment it wants.
 */
final class StrictSegment {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The most a segment may expand to: far above any segment a client writes. */
  private static final int MAX_JSON_BYTES = 256 * 1024 * 1024;

  /** JSON bytes of a file besides its URL and value: quotes, braces, {@code "seq":} and digits. */
  private static final int RECORD_OVERHEAD = 32;

  private StrictSegment() {}

  /**
   * One file of a segment: its slot, or null when a delta records that it was deleted.
   *
   * @param url the file URL
   * @param slot its value and version; null for deleted
   */
  record File(String url, @Nullable StrictSlot slot) {

    /** About how many bytes this file takes in a segment's JSON. */
    long estimatedBytes() {
      long value = 0;
      if (slot != null) {
        JsonNode inline = slot.value();
        String version = slot.contentVersion();
        value =
            inline != null ? inline.toString().length() : version == null ? 0 : version.length();
      }
      return url.length() + value + RECORD_OVERHEAD;
    }
  }

  /** A segment ready to be written: its name (the hex SHA-256 of its body), body and range. */
  static final class Built {
    private final String name;
    private final byte[] body;
    private final String first;
    private final int files;

    Built(String name, byte[] body, String first, int files) {
      this.name = name;
      this.body = body;
      this.first = first;
      this.files = files;
    }

    String name() {
      return name;
    }

    /** The exact bytes; never changed (their hash is the name). */
    byte[] body() {
      return body;
    }

    /** Its entry in an index. */
    StrictIndex.Ref ref() {
      return new StrictIndex.Ref(name, first, files, body.length);
    }
  }

  /**
   * Cuts sorted files into segments of about {@code target} bytes each (a file larger than that
   * gets a segment of its own).
   */
  static List<Built> cut(List<File> sorted, long target) {
    List<Built> out = new ArrayList<>();
    List<File> current = new ArrayList<>();
    long bytes = 0;
    for (File file : sorted) {
      long size = file.estimatedBytes();
      if (!current.isEmpty() && bytes + size > target) {
        out.add(build(current));
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(file);
      bytes += size;
    }
    if (!current.isEmpty()) {
      out.add(build(current));
    }
    return out;
  }

  /** The segment of these files, given sorted by URL (at least one). */
  static Built build(List<File> sorted) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode files = root.putObject("files");
    for (File file : sorted) {
      StrictSlot slot = file.slot();
      if (slot == null) {
        files.putNull(file.url());
      } else {
        ObjectNode out = files.putObject(file.url());
        slot.writeTo(out);
        out.put("seq", slot.seq());
      }
    }
    byte[] body;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(out)) { // no name, time 0: deterministic
        JSON.writeValue(gzip, root);
      }
      body = out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("a checkpoint segment could not be serialised", e);
    }
    return new Built(sha256(body), body, sorted.get(0).url(), sorted.size());
  }

  /**
   * The files segment {@code key} holds, checked against its name; invalid when the body is not the
   * one named, or a file is malformed or written after slot {@code maxSeq}.
   */
  static Parsed<List<File>> parse(String key, String name, long maxSeq, byte[] body) {
    if (!sha256(body).equals(name)) {
      return Parsed.invalid(key, "its body does not hash to its name (torn, altered or foreign)");
    }
    byte[] json = body;
    if (body.length >= 2 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        json = in.readNBytes(MAX_JSON_BYTES + 1);
      } catch (IOException e) {
        return Parsed.invalid(key, "not a valid gzip stream (" + e.getMessage() + ")");
      }
      if (json.length > MAX_JSON_BYTES) {
        return Parsed.invalid(key, "it expands to more than " + MAX_JSON_BYTES + " bytes");
      }
    }
    return BucketJson.readObject(key, json).then(root -> files(key, maxSeq, root));
  }

  private static Parsed<List<File>> files(String key, long maxSeq, JsonNode root) {
    if (!root.path("files").isObject()) {
      return Parsed.invalid(key, "not a checkpoint segment (no \"files\" object)");
    }
    List<File> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> file : root.get("files").properties()) {
      JsonNode node = file.getValue();
      if (node.isNull()) {
        out.add(new File(file.getKey(), null));
        continue;
      }
      JsonNode at = node.path("seq");
      long written = at.isIntegralNumber() ? at.asLong(-1) : -1;
      if (written < 1 || written > maxSeq) {
        return Parsed.invalid(key, "a file has no valid seq");
      }
      Parsed<StrictSlot> slot = StrictSlot.parse(key, written, node);
      if (slot instanceof Parsed.Invalid<StrictSlot> invalid) {
        return Parsed.invalid(key, invalid.reason());
      }
      out.add(new File(file.getKey(), ((Parsed.Valid<StrictSlot>) slot).value()));
    }
    return Parsed.valid(out);
  }

  /** Whether {@code name} is a segment name: 64 lowercase hex digits. */
  static boolean isName(String name) {
    if (name.length() != 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  static String sha256(byte[] body) {
    return Sha256.hex(body);
  }
}
