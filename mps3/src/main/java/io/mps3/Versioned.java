package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A value with its version, for {@link Mps3AsyncClient#compareAndSet}: the number of the strict
 * log's slot that wrote it. Versions of one key grow with every write of it.
 *
 * @param value the value (JSON {@code null} is a {@code NullNode})
 * @param version the version; always at least 1
 * @since 0.2
 */
public record Versioned(JsonNode value, long version) {

  /** Checks the arguments. */
  public Versioned {
    Objects.requireNonNull(value, "value");
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1, was " + version);
    }
  }
}
