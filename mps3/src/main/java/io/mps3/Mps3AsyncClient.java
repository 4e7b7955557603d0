package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.sync.DefaultMps3Client;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An MPS3 client: a key-value store of JSON documents in a bucket, shared with every other client
 * of that bucket. Asynchronous: every call returns at once with a future; {@link #sync()} gives the
 * blocking view.
 *
 * <p>Reads see this client's own writes at once, before the bucket holds them. Failed futures hold
 * an {@link Mps3Exception}. Thread-safe.
 *
 * @since 0.1
 */
public interface Mps3AsyncClient extends AutoCloseable {

  /** A client over a configuration. */
  static Mps3AsyncClient create(Mps3Config config) {
    return DefaultMps3Client.create(config);
  }

  /** The value of a key in the default manifest; empty when absent. JSON null is a NullNode. */
  default CompletableFuture<Optional<JsonNode>> get(String key) {
    return get(key, ReadOptions.defaults());
  }

  /** The value of a key; empty when absent. */
  CompletableFuture<Optional<JsonNode>> get(String key, ReadOptions options);

  /**
   * The value of a key converted to a type; empty when absent or JSON {@code null} (use {@link
   * #get(String)} to tell those apart).
   */
  <T> CompletableFuture<Optional<T>> get(String key, Class<T> type);

  /**
   * Writes a value: anything Jackson serialises (a {@code JsonNode}, string, number, boolean, list,
   * map, record, POJO); {@code null} writes JSON {@code null}.
   */
  default CompletableFuture<Void> put(String key, @Nullable Object value) {
    return put(key, value, WriteOptions.defaults());
  }

  /** Writes a value with options (several manifests, local acknowledgement). */
  CompletableFuture<Void> put(String key, @Nullable Object value, WriteOptions options);

  /** Deletes a key. */
  default CompletableFuture<Void> delete(String key) {
    return delete(key, WriteOptions.defaults());
  }

  /** Deletes a key, with options. */
  CompletableFuture<Void> delete(String key, WriteOptions options);

  /**
   * Writes several keys in one atomic step per manifest; a value of {@link Absent#ABSENT} deletes
   * its key.
   */
  default CompletableFuture<Void> putAll(Map<String, ?> values) {
    return putAll(values, WriteOptions.defaults());
  }

  /** Writes several keys atomically per manifest, with options. */
  CompletableFuture<Void> putAll(Map<String, ?> values, WriteOptions options);

  /** The keys of the default manifest that start with {@code prefix}, sorted. */
  default CompletableFuture<List<String>> keys(String prefix) {
    return keys(prefix, ReadOptions.defaults());
  }

  /** The keys of a manifest that start with {@code prefix}, sorted. */
  CompletableFuture<List<String>> keys(String prefix, ReadOptions options);

  /** Subscribes to a key of the default manifest. */
  default Subscription subscribe(String key, DocumentListener listener) {
    return subscribe(key, ReadOptions.defaults(), listener);
  }

  /**
   * Subscribes to a key: the listener gets its current value once, then every change (this client's
   * writes at once, others' within a poll interval), in log order.
   */
  Subscription subscribe(String key, ReadOptions options, DocumentListener listener);

  /**
   * Subscribes to every key that starts with {@code prefix} ({@code ""} for the whole manifest):
   * the listener gets each present key once, then each change as (key, value).
   */
  Subscription subscribePrefix(String prefix, ReadOptions options, DocumentListener listener);

  // -- strict protocol ----------------------------------------------------------------------------

  /** Strict protocol: the value of a key of the default manifest with its version. */
  default CompletableFuture<Optional<Versioned>> getVersioned(String key) {
    return getVersioned(key, ReadOptions.defaults());
  }

  /**
   * Strict protocol: the value of a key with its version, for {@link #compareAndSet}; empty when
   * absent.
   *
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} (in the future) under the causal
   *     protocol
   */
  CompletableFuture<Optional<Versioned>> getVersioned(String key, ReadOptions options);

  /** Strict protocol: writes a value only if the key is absent; true when written. */
  default CompletableFuture<Boolean> create(String key, @Nullable Object value) {
    return create(key, value, WriteOptions.defaults());
  }

  /**
   * Strict protocol: writes a value only if the key is absent, in one manifest; true if written.
   */
  CompletableFuture<Boolean> create(String key, @Nullable Object value, WriteOptions options);

  /**
   * Strict protocol: writes a value (or deletes the key, with {@link Absent#ABSENT}) only if the
   * key still has {@code expectedVersion} (0 for absent); true when written, false when the key
   * changed meanwhile.
   */
  default CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value) {
    return compareAndSet(key, expectedVersion, value, WriteOptions.defaults());
  }

  /** Strict protocol: {@link #compareAndSet(String, long, Object)} in one given manifest. */
  CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options);

  /**
   * Strict protocol: writes several keys atomically (like {@link #putAll}) only if every key of
   * {@code expectedVersions} still has its version (0 for absent); true when written.
   */
  CompletableFuture<Boolean> compareAndSetAll(
      Map<String, Long> expectedVersions, Map<String, ?> values, WriteOptions options);

  /** Strict protocol: runs a transaction on the default manifest. */
  default <T> CompletableFuture<T> transaction(Function<Transaction, T> body) {
    return transaction(body, WriteOptions.defaults());
  }

  /**
   * Strict protocol: runs {@code body} on a consistent view of one manifest and commits its writes
   * atomically, only if nothing it read changed meanwhile (serializable); otherwise runs it again
   * on the newer state, up to {@link Mps3Config#transactionAttempts()} times, then fails with
   * {@link ErrorKind#CONFLICT}. Completes with the body's result once committed. The body runs on
   * the callback executor and may block on reads of large values.
   */
  <T> CompletableFuture<T> transaction(Function<Transaction, T> body, WriteOptions options);

  // -- plumbing -----------------------------------------------------------------------------------

  /** Brings the default manifest up to date now and delivers what changed. */
  CompletableFuture<Void> refresh();

  /** The blocking view of this client. */
  Mps3Client sync();

  /**
   * Stops polling and background work; calls in flight fail with {@link ErrorKind#CLOSED}. Closes
   * the store when the client opened it. Idempotent.
   */
  @Override
  void close();
}
