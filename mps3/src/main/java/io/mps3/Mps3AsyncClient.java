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
 * <p>Reads see this client's own writes at once, before the bucket holds them. Calls that return a
 * future never throw: every failure, a bad argument included, completes the future exceptionally
 * with an {@link Mps3Exception} whose {@link ErrorKind} says what happened (only a {@code null}
 * argument throws {@link NullPointerException}). {@code subscribe} returns a subscription, not a
 * future, so it throws its {@link Mps3Exception} (a bad key, a closed client). Every value handed
 * out is the caller's own copy: changing it changes nothing in the client or the bucket.
 * Thread-safe.
 *
 * <p>A manifest's own objects reserve some keys, which every write refuses with {@link
 * ErrorKind#INVALID} (the message names the key, the manifest and why): on a causal manifest {@code
 * M}, the key {@code M} and keys starting with {@code M@}; on a strict one, {@code M/head} and keys
 * starting with {@code M/log/}, {@code M/checkpoint/} or {@code M/segment/}. A write is checked
 * against the manifests it goes to and the client's default manifest.
 *
 * @since 0.1
 */
public interface Mps3AsyncClient extends AutoCloseable {

  /**
   * A client over a configuration: a {@link StrictAsyncClient} when the configuration asks for the
   * strict protocol. The client opens what it needs (a local directory store, a journal) and closes
   * it again in {@link #close()}.
   *
   * @param config the validated configuration (store, bucket, manifest, protocol); not null
   * @return a new, open client; the caller closes it
   */
  static Mps3AsyncClient create(Mps3Config config) {
    return Clients.open(config);
  }

  /**
   * The value of a key in the client's default manifest. JSON {@code null} is a {@code NullNode}.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @return the value, empty when the key is absent; fails with {@link ErrorKind#INVALID} for an
   *     invalid key, {@link ErrorKind#UNAVAILABLE} when the store cannot be reached
   */
  default CompletableFuture<Optional<JsonNode>> get(String key) {
    return get(key, ReadOptions.defaults());
  }

  /**
   * The value of a key in the manifest the options name.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options which manifest to read; {@link ReadOptions#defaults()} for the client's
   * @return the value, empty when the key is absent; fails like {@link #get(String)}
   */
  CompletableFuture<Optional<JsonNode>> get(String key, ReadOptions options);

  /**
   * The value of a key converted to a type; empty when absent or JSON {@code null} (use {@link
   * #get(String)} to tell those apart). Reads the default manifest.
   *
   * @param <T> the type to convert to
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param type the class the configured object mapper converts the value to
   * @return the converted value; fails like {@link #get(String)}, and with {@link
   *     ErrorKind#CORRUPT} when the value does not convert to {@code type}
   */
  <T> CompletableFuture<Optional<T>> get(String key, Class<T> type);

  /**
   * Writes a value: anything Jackson serialises (a {@code JsonNode}, string, number, boolean, list,
   * map, record, POJO); {@code null} writes JSON {@code null}. Goes to the default manifest and
   * completes once the bucket holds it.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value the new value, converted with the configured object mapper; may be null
   * @return completes when written; fails with {@link ErrorKind#INVALID} for an invalid key or a
   *     value that cannot be written as JSON, {@link ErrorKind#UNAVAILABLE} or {@link
   *     ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  default CompletableFuture<Void> put(String key, @Nullable Object value) {
    return put(key, value, WriteOptions.defaults());
  }

  /**
   * Writes a value with options (several manifests, local acknowledgement).
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value the new value, as in {@link #put(String, Object)}; may be null
   * @param options the manifests to write and when to complete; {@link WriteOptions#defaults()}
   * @return completes when written (or seen locally); fails like {@link #put(String, Object)}
   */
  CompletableFuture<Void> put(String key, @Nullable Object value, WriteOptions options);

  /**
   * Deletes a key from the default manifest; deleting an absent key succeeds.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @return completes when the bucket holds the deletion; fails like {@link #put(String, Object)}
   */
  default CompletableFuture<Void> delete(String key) {
    return delete(key, WriteOptions.defaults());
  }

  /**
   * Deletes a key, with options.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options the manifests to write and when to complete; {@link WriteOptions#defaults()}
   * @return completes when deleted (or seen locally); fails like {@link #put(String, Object)}
   */
  CompletableFuture<Void> delete(String key, WriteOptions options);

  /**
   * Writes several keys in one atomic step per manifest; a value of {@link Absent#ABSENT} deletes
   * its key. An empty map completes at once and writes nothing.
   *
   * @param values keys (each checked like {@link #put(String, Object)}'s) to their new values;
   *     values may be null (JSON {@code null})
   * @return completes when the bucket holds every write; fails like {@link #put(String, Object)}
   */
  default CompletableFuture<Void> putAll(Map<String, ?> values) {
    return putAll(values, WriteOptions.defaults());
  }

  /**
   * Writes several keys atomically per manifest, with options.
   *
   * @param values keys to their new values, {@link Absent#ABSENT} to delete; as in {@link
   *     #putAll(Map)}
   * @param options the manifests to write and when to complete; {@link WriteOptions#defaults()}
   * @return completes when written (or seen locally); fails like {@link #put(String, Object)}
   */
  CompletableFuture<Void> putAll(Map<String, ?> values, WriteOptions options);

  /**
   * The keys of the default manifest that start with {@code prefix}, sorted.
   *
   * @param prefix the start every key listed has; {@code ""} for all
   * @return the present keys, sorted; empty when none match; fails with {@link
   *     ErrorKind#UNAVAILABLE} when the store cannot be reached
   */
  default CompletableFuture<List<String>> keys(String prefix) {
    return keys(prefix, ReadOptions.defaults());
  }

  /**
   * The keys of a manifest that start with {@code prefix}, sorted.
   *
   * @param prefix the start every key listed has; {@code ""} for all
   * @param options which manifest to read; {@link ReadOptions#defaults()} for the client's
   * @return the present keys, sorted; empty when none match; fails like {@link #keys(String)}
   */
  CompletableFuture<List<String>> keys(String prefix, ReadOptions options);

  /**
   * Subscribes to a key of the default manifest; see {@link #subscribe(String, ReadOptions,
   * DocumentListener)}.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param listener receives the current value, the changes, and failures to poll
   * @return the running subscription; close it to stop delivery
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#CLOSED} when the client is closed
   */
  default Subscription subscribe(String key, DocumentListener listener) {
    return subscribe(key, ReadOptions.defaults(), listener);
  }

  /**
   * Subscribes to a key: the listener gets its current value once, then every change (this client's
   * writes at once, others' within a poll interval), in log order. Unlike the other calls, this one
   * throws its failures; later failures to poll reach {@link DocumentListener#onError}.
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
   * Subscribes to every key that starts with {@code prefix} ({@code ""} for the whole manifest):
   * the listener gets each present key once, then each change as (key, value).
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

  // -- plumbing -----------------------------------------------------------------------------------

  /**
   * Brings the default manifest up to date now and delivers what changed, without waiting for the
   * next poll.
   *
   * @return completes once caught up; fails with {@link ErrorKind#UNAVAILABLE} when the store
   *     cannot be reached
   */
  CompletableFuture<Void> refresh();

  /**
   * The blocking view of this client.
   *
   * @return the one view over this client, sharing its state; closing either closes both
   */
  Mps3Client sync();

  /**
   * Stops polling and background work; calls in flight fail with {@link ErrorKind#CLOSED}. Closes
   * the store when the client opened it. Idempotent.
   */
  @Override
  void close();
}
