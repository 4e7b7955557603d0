package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The view of one manifest inside {@link StrictAsyncClient#transaction}: reads see one consistent
 * state (plus this transaction's own writes), writes are buffered and commit together, and only if
 * nothing this transaction read has changed meanwhile; otherwise the body runs again on the newer
 * state. Keep the body free of other side effects: it may run several times. Not thread-safe: use
 * it on the thread that runs the body.
 *
 * @since 0.2
 */
public interface Transaction {

  /**
   * The value of a key as this transaction sees it. Records the key's version as a precondition of
   * the commit.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @return the value (this transaction's own write, if any); empty when absent
   * @throws IllegalArgumentException when the key is invalid
   * @throws Mps3Exception of kind {@link ErrorKind#UNAVAILABLE} when the value cannot be read
   */
  Optional<JsonNode> get(String key);

  /**
   * The value of a key converted to a type, as {@link #get(String)} reads it.
   *
   * @param <T> the type to convert to
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param type the class the client's object mapper converts the value to
   * @return the converted value; empty when absent or JSON {@code null}
   * @throws IllegalArgumentException when the key is invalid
   * @throws Mps3Exception of kind {@link ErrorKind#CORRUPT} when the value does not convert
   */
  <T> Optional<T> get(String key, Class<T> type);

  /**
   * Writes a value when the transaction commits; later reads of the key in this body see it.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null is JSON {@code null}, {@link Absent#ABSENT}
   *     deletes
   * @throws IllegalArgumentException when the key is invalid
   */
  void put(String key, @Nullable Object value);

  /**
   * Deletes a key when the transaction commits; later reads of the key in this body see it absent.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @throws IllegalArgumentException when the key is invalid
   */
  void delete(String key);
}
