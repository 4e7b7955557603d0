package io.mps3;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.client.Clients;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An MPS3 client: a key-value store of JSON documents in a bucket, shared with every other client
 * of that bucket. Asynchronous: every call returns at once with a future; {@link #sync()} gives the
 * blocking view. A client of the strict protocol is a {@link StrictAsyncClient}, with
 * compare-and-set and transactions on top.
 *
 * <p>Reads see this client's own writes at once, before the bucket holds them. Calls never throw:
 * every failure, a bad argument included, completes the future exceptionally with an {@link
 * Mps3Exception} whose {@link ErrorKind} says what happened (only a {@code null} argument throws
 * {@link NullPointerException}). Every value handed out is the caller's own copy: changing it
 * changes nothing in the client or the bucket. Thread-safe.
 *
 * <p>A manifest's own objects reserve some keys, which every write refuses with {@link
 * ErrorKind#INVALID} (the message names the key, the manifest and why): on a causal manifest {@code
 * M}, the key {@code M} and keys starting with {@code M@}; on a strict one, {@code M/head} and keys
 * starting with {@code M/log/} or {@code M/checkpoint/}. A write is checked against the manifests
 * it goes to and the client's default manifest.
 *
 * @since 0.1
 */
public interface Mps3AsyncClient extends AutoCloseable {

  /**
   * A client over a configuration: a {@link StrictAsyncClient} when the configuration asks for the
   * strict protocol. The client opens what it needs (a local directory store, a journal) and closes
   * it again in {@link #close()}.
   */
  static Mps3AsyncClient create(Mps3Config config) {
    return Clients.open(config);
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
