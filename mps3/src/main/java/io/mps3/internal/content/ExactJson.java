package io.mps3.internal.content;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Mappers that read a JSON number exactly as it is written. Jackson's default reads a fraction or
 * an exponent as a {@code double}: {@code 3.14159265358979323846} loses its last digits and {@code
 * 1e400} becomes {@code Infinity}, which Jackson then writes as the string {@code "Infinity"}. A
 * database must give back what it was given, and this client rewrites other clients' values (a
 * strict checkpoint, the offline journal), so every number it reads keeps every digit: it is a
 * {@code BigDecimal}, trailing zeros included ({@code 1.10} stays {@code 1.10}).
 */
public final class ExactJson {

  private ExactJson() {}

  /** A builder of a mapper that reads numbers exactly; add features, then {@code build()}. */
  public static JsonMapper.Builder builder() {
    return exact(JsonMapper.builder());
  }

  /** {@code builder}, set to read numbers exactly. */
  public static JsonMapper.Builder exact(JsonMapper.Builder builder) {
    return builder
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  }

  /** A mapper that reads numbers exactly. */
  public static JsonMapper mapper() {
    return builder().build();
  }
}
