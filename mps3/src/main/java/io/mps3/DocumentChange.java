package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.content.Values;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A key's value as a subscription sees it: the current one when subscribing, then each change.
 *
 * @since 0.1
 */
public final class DocumentChange {

  private final String manifest;
  private final String key;
  private final @Nullable JsonNode value;
  private final ObjectMapper mapper;

  private DocumentChange(
      String manifest, String key, @Nullable JsonNode value, ObjectMapper mapper) {
    this.manifest = manifest;
    this.key = key;
    this.value = value;
    this.mapper = mapper;
  }

  /**
   * A change, as the client hands it to a {@link DocumentListener}.
   *
   * @param manifest the key of the manifest the change was seen in
   * @param key the document's key
   * @param value the new value, or null when the key is absent; not copied
   * @param mapper converts the value in {@link #as(Class)}
   * @return the change
   */
  public static DocumentChange of(
      String manifest, String key, @Nullable JsonNode value, ObjectMapper mapper) {
    return new DocumentChange(manifest, key, value, mapper);
  }

  /** {@return the key of the manifest the change was seen in} */
  public String manifest() {
    return manifest;
  }

  /** {@return the document's key} */
  public String key() {
    return key;
  }

  /**
   * {@return the value; empty when the key is absent (never written, or deleted)} Each call gives a
   * fresh copy: changing it changes nothing else.
   */
  public Optional<JsonNode> value() {
    return Optional.ofNullable(value).map(JsonNode::deepCopy);
  }

  /** {@return whether the key has a value (JSON {@code null} counts as a value)} */
  public boolean isPresent() {
    return value != null;
  }

  /**
   * The value converted to a type with the client's object mapper; empty when absent or JSON {@code
   * null}.
   *
   * @param <T> the type to convert to
   * @param type the class to convert the value to
   * @return the converted value
   * @throws Mps3Exception of kind {@link ErrorKind#CORRUPT} when it does not convert
   */
  public <T> Optional<T> as(Class<T> type) {
    return Values.as(Optional.ofNullable(value), type, key, mapper);
  }

  @Override
  public String toString() {
    return key + " = " + (value == null ? "(absent)" : value.toString());
  }
}
