package io.mps3;

import io.mps3.internal.client.Clients;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A client of the strict protocol (linearizable manifests): everything an {@link Mps3AsyncClient}
 * does, plus versioned reads, compare-and-set and transactions. Only a configuration built with
 * {@link Mps3Config.Builder#strictProtocol()} makes one, so these calls cannot be made on a causal
 * client. {@link #sync()} gives the blocking view, a {@link StrictClient}.
 *
 * <pre>{@code
 * StrictAsyncClient client =
 *     StrictAsyncClient.create(Mps3Config.builder().localDirectory(dir).strictProtocol().build());
 * client.create("locks/report", "worker-7").thenAccept(mine -> ...);
 * }</pre>
 *
 * @since 0.3
 */
public interface StrictAsyncClient extends Mps3AsyncClient {

  /**
   * A strict client over a configuration.
   *
   * @param config a configuration built with {@link Mps3Config.Builder#strictProtocol()}
   * @return a new, open client; the caller closes it
   * @throws IllegalArgumentException when the configuration is not of the strict protocol
   */
  static StrictAsyncClient create(Mps3Config config) {
    return Clients.openStrict(config);
  }

  /**
   * The value of a key of the default manifest with its version.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @return the value and version, empty when absent; fails with {@link ErrorKind#INVALID} for an
   *     invalid key, {@link ErrorKind#UNAVAILABLE} when the store cannot be reached
   */
  default CompletableFuture<Optional<Versioned>> getVersioned(String key) {
    return getVersioned(key, ReadOptions.defaults());
  }

  /**
   * The value of a key with its version, for {@link #compareAndSet}.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options which manifest to read; {@link ReadOptions#defaults()} for the client's
   * @return the value and version, empty when absent; fails like {@link #getVersioned(String)}
   */
  CompletableFuture<Optional<Versioned>> getVersioned(String key, ReadOptions options);

  /**
   * Writes a value to the default manifest only if the key is absent: compare-and-set with {@link
   * Versioned#NONE}.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @return true when written, false when the key exists; fails with {@link ErrorKind#INVALID} for
   *     an invalid key or value, {@link ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN}
   *     when the store failed
   */
  default CompletableFuture<Boolean> create(String key, @Nullable Object value) {
    return create(key, value, WriteOptions.defaults());
  }

  /**
   * Writes a value only if the key is absent, in one manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     {@link WriteOptions#acknowledgedLocally()}, which fails with {@link ErrorKind#INVALID})
   * @return true when written, false when the key exists; fails like {@link #create(String,
   *     Object)}
   */
  CompletableFuture<Boolean> create(String key, @Nullable Object value, WriteOptions options);

  /**
   * Writes a value (or deletes the key, with {@link Absent#ABSENT}) only if the key still has
   * {@code expectedVersion} ({@link Versioned#NONE} for absent); true when written, false when the
   * key changed meanwhile. Writes the default manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param expectedVersion the version the key must still have, from {@link Versioned#version()}
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @return true when written, false when the key's version differs; fails with {@link
   *     ErrorKind#INVALID} for an invalid key or value, {@link ErrorKind#UNAVAILABLE} or {@link
   *     ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  default CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value) {
    return compareAndSet(key, expectedVersion, value, WriteOptions.defaults());
  }

  /**
   * {@link #compareAndSet(String, long, Object)} in one given manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param expectedVersion the version the key must still have; {@link Versioned#NONE} for absent
   * @param value anything Jackson serialises; null writes JSON {@code null}, {@link Absent#ABSENT}
   *     deletes
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     {@link WriteOptions#acknowledgedLocally()}, which fails with {@link ErrorKind#INVALID})
   * @return true when written, false when the key's version differs; fails like {@link
   *     #compareAndSet(String, long, Object)}
   */
  CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options);

  /**
   * Writes several keys atomically (like {@link #putAll}) only if every key of {@code
   * expectedVersions} still has its version ({@link Versioned#NONE} for absent).
   *
   * @param expectedVersions keys to the versions they must still have; may name keys not written
   * @param values keys to their new values; {@link Absent#ABSENT} deletes, null is JSON {@code
   *     null}
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     {@link WriteOptions#acknowledgedLocally()}, which fails with {@link ErrorKind#INVALID})
   * @return true when written, false when an expected version no longer holds; fails like {@link
   *     #compareAndSet(String, long, Object)}, and with {@link ErrorKind#INVALID} for a version
   *     below {@link Versioned#NONE}
   */
  CompletableFuture<Boolean> compareAndSetAll(
      Map<String, Long> expectedVersions, Map<String, ?> values, WriteOptions options);

  /**
   * Runs a transaction on the default manifest; see {@link #transaction(Function, WriteOptions)}.
   *
   * @param <T> the type of the body's result
   * @param body reads and writes through its {@link Transaction}; may run several times
   * @return the body's result once committed; fails as described there
   */
  default <T> CompletableFuture<T> transaction(Function<Transaction, T> body) {
    return transaction(body, WriteOptions.defaults());
  }

  /**
   * Runs {@code body} on a consistent view of one manifest and commits its writes atomically, only
   * if nothing it read changed meanwhile (serializable); otherwise runs it again on the newer
   * state, up to {@link Mps3Config#transactionAttempts()} times, then fails with {@link
   * ErrorKind#CONFLICT}. Completes with the body's result once committed. An exception thrown by
   * the body aborts the transaction (nothing is written) and completes the future with that very
   * exception. Bodies run on a bounded pool of the client's threads, in arrival order, and may
   * block on reads of large values.
   *
   * @param <T> the type of the body's result
   * @param body reads and writes through its {@link Transaction}; may run several times, so it has
   *     no other side effects
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     {@link WriteOptions#acknowledgedLocally()}, which fails with {@link ErrorKind#INVALID})
   * @return the body's result once committed; fails with {@link ErrorKind#CONFLICT} after too many
   *     attempts, with the body's own exception, or like {@link #compareAndSet(String, long,
   *     Object)}
   */
  <T> CompletableFuture<T> transaction(Function<Transaction, T> body, WriteOptions options);

  /**
   * The blocking view of this client.
   *
   * @return the one view over this client, sharing its state; closing either closes both
   */
  @Override
  StrictClient sync();
}
