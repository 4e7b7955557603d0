package io.mps3.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.Absent;
import io.mps3.Mps3Client;
import io.mps3.StrictClient;
import io.mps3.Versioned;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Values as the console shows and writes them. A value travels to the page as formatted JSON text,
 * never as a parsed JavaScript value: the page shows and edits exactly what the bucket holds (a
 * JavaScript number would round a large integer or a long decimal). A value of a strict manifest
 * carries its version, and an edit of it is a compare-and-set against the version the page showed.
 */
final class ConsoleValues {

  /** Two spaces a level, one line an element, {@code "name": value}. */
  private static final ObjectWriter PRETTY =
      Json.MAPPER.writer(
          new DefaultPrettyPrinter(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                      .withObjectEmptySeparator("")
                      .withArrayEmptySeparator(""))
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  /**
   * A key's value as the page shows it.
   *
   * @param text the formatted JSON, or null when the key is absent
   * @param version the strict version ({@link Versioned#NONE} when absent), or null for causal
   */
  record Shown(@Nullable String text, @Nullable Long version) {

    /** {@code {"key", "text", "version"}}, with {@code "deleted": true} for an absent key. */
    ObjectNode json(String key) {
      ObjectNode out = Json.MAPPER.createObjectNode().put("key", key);
      if (text == null) {
        out.put("deleted", true);
      } else {
        out.put("text", text);
      }
      if (version == null) {
        out.putNull("version");
      } else {
        out.put("version", version);
      }
      return out;
    }
  }

  private ConsoleValues() {}

  /** Reads a key: with its version from a strict client. */
  static Shown read(Mps3Client client, String key) {
    if (client instanceof StrictClient strict) {
      Optional<Versioned> value = strict.getVersioned(key);
      return value
          .map(v -> shown(v.value(), v.version()))
          .orElseGet(() -> new Shown(null, Versioned.NONE));
    }
    return shown(client.get(key).orElse(null), null);
  }

  /** A value (null: absent) as the page shows it. */
  static Shown shown(@Nullable JsonNode value, @Nullable Long version) {
    return new Shown(value == null ? null : pretty(value), version);
  }

  static String pretty(JsonNode value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree always serialises
    }
  }

  /**
   * Writes a value, or deletes the key when {@code value} is null. With {@code expected} (a strict
   * manifest's version the page showed, {@link Versioned#NONE} for a key that was absent) the write
   * is a compare-and-set: it returns the key's current value instead of writing when the version
   * changed. Returns what the key holds after a write that took place.
   */
  static Outcome write(
      Mps3Client client, String key, @Nullable JsonNode value, @Nullable Long expected) {
    Object written = value == null ? Absent.ABSENT : value;
    if (expected != null) {
      if (!(client instanceof StrictClient strict)) {
        throw new UsageException(
            "a version was given for a manifest of the causal protocol, which has no versions"
                + " (the last write wins); send the edit without one");
      }
      if (!strict.compareAndSet(key, expected, written)) {
        return new Outcome(false, read(client, key));
      }
      return new Outcome(true, read(client, key));
    }
    if (value == null) {
      client.delete(key);
    } else {
      client.put(key, value);
    }
    return new Outcome(true, read(client, key));
  }

  /** Whether a write took place, and what the key holds now. */
  record Outcome(boolean written, Shown now) {}
}
