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
   *
   * @param config the validated configuration (store, bucket, manifest, protocol); not null
   * @return a new, open client; the caller closes it
   */
  static Mps3Client create(Mps3Config config) {
    return Mps3AsyncClient.create(config).sync();
  }

  /**
   * The value of a key in the default manifest. JSON {@code null} is a {@code NullNode}.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @return the value; empty when the key is absent
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#UNAVAILABLE} when the store cannot be reached or the wait is interrupted
   */
  Optional<JsonNode> get(String key);

  /**
   * The value of a key in a manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options which manifest to read; {@link ReadOptions#defaults()} for the client's
   * @return the value; empty when the key is absent
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#UNAVAILABLE} when the store cannot be reached or the wait is interrupted
   */
  Optional<JsonNode> get(String key, ReadOptions options);

  /**
   * The value of a key of the default manifest, converted to a type.
   *
   * @param <T> the type to convert to
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param type the class the configured object mapper converts the value to
   * @return the converted value; empty when the key is absent or JSON {@code null}
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#UNAVAILABLE} when the store cannot be reached or the wait is interrupted, {@link
   *     ErrorKind#CORRUPT} when the value does not convert to {@code type}
   */
  <T> Optional<T> get(String key, Class<T> type);

  /**
   * Writes a value to the default manifest and waits until the bucket holds it.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  void put(String key, @Nullable Object value);

  /**
   * Writes a value with options.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @param options the manifests to write and when to return; {@link WriteOptions#defaults()}
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  void put(String key, @Nullable Object value, WriteOptions options);

  /**
   * Deletes a key from the default manifest; deleting an absent key succeeds.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  void delete(String key);

  /**
   * Deletes a key with options; deleting an absent key succeeds.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options the manifests to write and when to return; {@link WriteOptions#defaults()}
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  void delete(String key, WriteOptions options);

  /**
   * Writes several keys atomically to the default manifest.
   *
   * @param values keys to their new values; {@link Absent#ABSENT} deletes, null is JSON {@code
   *     null}
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  void putAll(Map<String, ?> values);

  /**
   * Writes several keys atomically per manifest, with options.
   *
   * @param values keys to their new values; {@link Absent#ABSENT} deletes, null is JSON {@code
   *     null}
   * @param options the manifests to write and when to return; {@link WriteOptions#defaults()}
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  void putAll(Map<String, ?> values, WriteOptions options);

  /**
   * The keys of the default manifest that start with a prefix.
   *
   * @param prefix the start every key listed has; {@code ""} for all
   * @return the present keys, sorted; empty when none match
   * @throws Mps3Exception of kind {@link ErrorKind#UNAVAILABLE} when the store cannot be reached
   */
  List<String> keys(String prefix);

  /**
   * Subscribes to a key of the default manifest; see {@link Mps3AsyncClient#subscribe(String,
   * ReadOptions, DocumentListener)}. Returns without waiting for the first value.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param listener receives the current value, the changes, and failures to poll
   * @return the running subscription; close it to stop delivery
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#CLOSED} when the client is closed
   */
  Subscription subscribe(String key, DocumentListener listener);

  /**
   * Subscribes to a key, with options. Returns without waiting for the first value.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options which manifest to follow; {@link ReadOptions#defaults()} for the client's
   * @param listener receives the current value, the changes, and failures to poll
   * @return the running subscription; close it to stop delivery
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#CLOSED} when the client is closed
   */
  Subscription subscribe(String key, ReadOptions options, DocumentListener listener);

  /**
   * Subscribes to every key with a prefix; see {@link Mps3AsyncClient#subscribePrefix}.
   *
   * @param prefix the start of the keys to follow; any string, {@code ""} for all
   * @param options which manifest to follow; {@link ReadOptions#defaults()} for the client's
   * @param listener receives each key's value, the changes, and failures to poll
   * @return the running subscription; close it to stop delivery
   * @throws Mps3Exception of kind {@link ErrorKind#CLOSED} when the client is closed
   */
  Subscription subscribePrefix(String prefix, ReadOptions options, DocumentListener listener);

  /**
   * Subscribes to every key with a prefix in the default manifest; see {@link
   * #subscribePrefix(String, ReadOptions, DocumentListener)}.
   *
   * @param prefix the start of the keys to follow; any string, {@code ""} for all
   * @param listener receives each key's value, the changes, and failures to poll
   * @return the running subscription; close it to stop delivery
   * @throws Mps3Exception of kind {@link ErrorKind#CLOSED} when the client is closed
   */
  default Subscription subscribePrefix(String prefix, DocumentListener listener) {
    return subscribePrefix(prefix, ReadOptions.defaults(), listener);
  }

  /**
   * Brings the default manifest up to date now and delivers what changed.
   *
   * @throws Mps3Exception of kind {@link ErrorKind#UNAVAILABLE} when the store cannot be reached
   */
  void refresh();

  /**
   * The asynchronous client behind this view.
   *
   * @return the client whose calls this view waits for; closing either closes both
   */
  Mps3AsyncClient async();

  /** Closes the client behind this view; see {@link Mps3AsyncClient#close()}. Idempotent. */
  @Override
  void close();
}
