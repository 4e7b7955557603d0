package io.mps3;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The blocking view of a {@link StrictAsyncClient}: a client of the strict protocol, with versioned
 * reads, compare-and-set and transactions on top of everything an {@link Mps3Client} does.
 *
 * <pre>{@code
 * Mps3Config config = Mps3Config.builder().localDirectory(dir).strictProtocol().build();
 * try (StrictClient client = StrictClient.create(config)) {
 *   boolean mine = client.create("locks/report", "worker-7");
 *   int n = client.transaction(tx -> {
 *     int next = tx.get("counter", Integer.class).orElse(0) + 1;
 *     tx.put("counter", next);
 *     return next;
 *   });
 * }
 * }</pre>
 *
 * @since 0.3
 */
public interface StrictClient extends Mps3Client {

  /**
   * A strict client over a configuration.
   *
   * @throws IllegalArgumentException when the configuration is not of the strict protocol
   */
  static StrictClient create(Mps3Config config) {
    return StrictAsyncClient.create(config).sync();
  }

  /** The value of a key with its version; empty when absent. */
  Optional<Versioned> getVersioned(String key);

  /** The value of a key with its version, in a given manifest; empty when absent. */
  Optional<Versioned> getVersioned(String key, ReadOptions options);

  /** Writes a value only if the key is absent; true when written. */
  boolean create(String key, @Nullable Object value);

  /** Writes a value only if the key is absent, in a given manifest; true when written. */
  boolean create(String key, @Nullable Object value, WriteOptions options);

  /** Writes only if the key still has the version ({@link Versioned#NONE}: absent); true if so. */
  boolean compareAndSet(String key, long expectedVersion, @Nullable Object value);

  /** Compare-and-set in a given manifest. */
  boolean compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options);

  /** Writes several keys atomically if all expected versions hold; true when written. */
  boolean compareAndSetAll(Map<String, Long> expectedVersions, Map<String, ?> values);

  /**
   * Runs a serializable transaction on the default manifest and returns the body's result; an
   * exception of the body is thrown here unchanged. See {@link StrictAsyncClient#transaction}.
   */
  <T> T transaction(Function<Transaction, T> body);

  /** Runs a serializable transaction in a given manifest. */
  <T> T transaction(Function<Transaction, T> body, WriteOptions options);

  /** The asynchronous client behind this view. */
  @Override
  StrictAsyncClient async();
}
