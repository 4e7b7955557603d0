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
   * @throws IllegalArgumentException when the configuration is not of the strict protocol
   */
  static StrictAsyncClient create(Mps3Config config) {
    return Clients.openStrict(config);
  }

  /** The value of a key of the default manifest with its version; empty when absent. */
  default CompletableFuture<Optional<Versioned>> getVersioned(String key) {
    return getVersioned(key, ReadOptions.defaults());
  }

  /** The value of a key with its version, for {@link #compareAndSet}; empty when absent. */
  CompletableFuture<Optional<Versioned>> getVersioned(String key, ReadOptions options);

  /** Writes a value only if the key is absent; true when written, false when it exists. */
  default CompletableFuture<Boolean> create(String key, @Nullable Object value) {
    return create(key, value, WriteOptions.defaults());
  }

  /** Writes a value only if the key is absent, in one manifest; true when written. */
  CompletableFuture<Boolean> create(String key, @Nullable Object value, WriteOptions options);

  /**
   * Writes a value (or deletes the key, with {@link Absent#ABSENT}) only if the key still has
   * {@code expectedVersion} ({@link Versioned#NONE} for absent); true when written, false when the
   * key changed meanwhile.
   */
  default CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value) {
    return compareAndSet(key, expectedVersion, value, WriteOptions.defaults());
  }

  /** {@link #compareAndSet(String, long, Object)} in one given manifest. */
  CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options);

  /**
   * Writes several keys atomically (like {@link #putAll}) only if every key of {@code
   * expectedVersions} still has its version ({@link Versioned#NONE} for absent); true when written.
   */
  CompletableFuture<Boolean> compareAndSetAll(
      Map<String, Long> expectedVersions, Map<String, ?> values, WriteOptions options);

  /**
   * Runs a transaction on the default manifest; see {@link #transaction(Function, WriteOptions)}.
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
   */
  <T> CompletableFuture<T> transaction(Function<Transaction, T> body, WriteOptions options);

  /** The blocking view of this client. */
  @Override
  StrictClient sync();
}
