package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A value with its version, for {@link StrictAsyncClient#compareAndSet}: the number of the strict
 * log's slot that wrote it. Versions of one key grow with every write of it. The value is the
 * record's own copy: {@link #value()} hands out a fresh copy each time, so changing it changes
 * neither this record nor the client.
 *
 * @param value the value (JSON {@code null} is a {@code NullNode})
 * @param version the version; always at least 1
 * @since 0.2
 */
public record Versioned(JsonNode value, long version) {

  /** The version a compare-and-set expects of an absent key (no version). */
  public static final long NONE = 0;

  /**
   * Checks the arguments and keeps a copy of the value.
   *
   * @param value the value, not null (JSON {@code null} is a {@code NullNode})
   * @param version the version; at least 1
   * @throws IllegalArgumentException when the version is below 1
   */
  public Versioned {
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1, was " + version);
    }
    value = value.deepCopy();
  }

  /** {@return a copy of the value: changing it changes nothing else} */
  @Override
  public JsonNode value() {
    return value.deepCopy();
  }
}
