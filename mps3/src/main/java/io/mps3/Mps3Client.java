package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The blocking view of an {@link Mps3AsyncClient}: the same calls, waiting for their results.
 * Failures are thrown as {@link Mps3Exception}, with the caller's stack; an interrupted wait
 * restores the interrupt flag and throws one of kind {@link ErrorKind#UNAVAILABLE}. Values handed
 * out are the caller's own copies. A client of the strict protocol is a {@link StrictClient}.
 * Thread-safe.
 *
 * <pre>{@code
 * try (Mps3Client client = Mps3Client.create(Mps3Config.builder().localDirectory(dir).build())) {
 *   client.put("users/42", Map.of("name", "Ada"));
 *   Optional<JsonNode> ada = client.get("users/42");
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface Mps3Client extends AutoCloseable {

  /**
   * A client over a configuration: a {@link StrictClient} when the configuration asks for the
   * strict protocol.
   */
  static Mps3Client create(Mps3Config config) {
    return Mps3AsyncClient.create(config).sync();
  }

  /** The value of a key; empty when absent. */
  Optional<JsonNode> get(String key);

  /** The value of a key in a manifest; empty when absent. */
  Optional<JsonNode> get(String key, ReadOptions options);

  /** The value of a key converted to a type; empty when absent or JSON null. */
  <T> Optional<T> get(String key, Class<T> type);

  /** Writes a value. */
  void put(String key, @Nullable Object value);

  /** Writes a value with options. */
  void put(String key, @Nullable Object value, WriteOptions options);

  /** Deletes a key. */
  void delete(String key);

  /** Deletes a key with options. */
  void delete(String key, WriteOptions options);

  /** Writes several keys atomically per manifest; {@link Absent#ABSENT} deletes. */
  void putAll(Map<String, ?> values);

  /** Writes several keys atomically per manifest, with options. */
  void putAll(Map<String, ?> values, WriteOptions options);

  /** The keys of the default manifest that start with a prefix, sorted. */
  List<String> keys(String prefix);

  /** Subscribes to a key of the default manifest. */
  Subscription subscribe(String key, DocumentListener listener);

  /** Subscribes to a key, with options. */
  Subscription subscribe(String key, ReadOptions options, DocumentListener listener);

  /** Subscribes to every key with a prefix. */
  Subscription subscribePrefix(String prefix, ReadOptions options, DocumentListener listener);

  /** Brings the default manifest up to date now. */
  void refresh();

  /** The asynchronous client behind this view. */
  Mps3AsyncClient async();

  /** Closes the client. */
  @Override
  void close();
}
