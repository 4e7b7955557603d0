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
   * @param config a configuration built with {@link Mps3Config.Builder#strictProtocol()}
   * @return a new, open client; the caller closes it
   * @throws IllegalArgumentException when the configuration is not of the strict protocol
   */
  static StrictClient create(Mps3Config config) {
    return StrictAsyncClient.create(config).sync();
  }

  /**
   * The value of a key of the default manifest with its version.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @return the value and version; empty when absent
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key, {@link
   *     ErrorKind#UNAVAILABLE} when the store cannot be reached
   */
  Optional<Versioned> getVersioned(String key);

  /**
   * The value of a key with its version, in a given manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param options which manifest to read; {@link ReadOptions#defaults()} for the client's
   * @return the value and version; empty when absent
   * @throws Mps3Exception as {@link #getVersioned(String)} does
   */
  Optional<Versioned> getVersioned(String key, ReadOptions options);

  /**
   * Writes a value to the default manifest only if the key is absent.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @return true when written, false when the key exists
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  boolean create(String key, @Nullable Object value);

  /**
   * Writes a value only if the key is absent, in a given manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param value anything Jackson serialises; null writes JSON {@code null}
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     acknowledged locally)
   * @return true when written, false when the key exists
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  boolean create(String key, @Nullable Object value, WriteOptions options);

  /**
   * Writes to the default manifest only if the key still has the version; see {@link
   * StrictAsyncClient#compareAndSet(String, long, Object)}.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param expectedVersion the version the key must still have; {@link Versioned#NONE} for absent
   * @param value anything Jackson serialises; null is JSON {@code null}, {@link Absent#ABSENT}
   *     deletes
   * @return true when written, false when the key's version differs
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  boolean compareAndSet(String key, long expectedVersion, @Nullable Object value);

  /**
   * Compare-and-set in a given manifest.
   *
   * @param key the document's key: 1 to 1024 UTF-8 bytes (see {@link io.mps3.spi.ObjectKeys})
   * @param expectedVersion the version the key must still have; {@link Versioned#NONE} for absent
   * @param value anything Jackson serialises; null is JSON {@code null}, {@link Absent#ABSENT}
   *     deletes
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     acknowledged locally)
   * @return true when written, false when the key's version differs
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  boolean compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options);

  /**
   * Writes several keys atomically to the default manifest if all expected versions hold.
   *
   * @param expectedVersions keys to the versions they must still have ({@link Versioned#NONE}:
   *     absent)
   * @param values keys to their new values; {@link Absent#ABSENT} deletes, null is JSON {@code
   *     null}
   * @return true when written, false when an expected version no longer holds
   * @throws Mps3Exception of kind {@link ErrorKind#INVALID} for an invalid key or value, {@link
   *     ErrorKind#UNAVAILABLE} or {@link ErrorKind#OUTCOME_UNKNOWN} when the store failed
   */
  boolean compareAndSetAll(Map<String, Long> expectedVersions, Map<String, ?> values);

  /**
   * Runs a serializable transaction on the default manifest and returns the body's result; an
   * exception of the body is thrown here unchanged. See {@link StrictAsyncClient#transaction}.
   *
   * @param <T> the type of the body's result
   * @param body reads and writes through its {@link Transaction}; may run several times
   * @return the body's result, once committed
   * @throws Mps3Exception of kind {@link ErrorKind#CONFLICT} when every attempt lost a race, or as
   *     a write fails
   */
  <T> T transaction(Function<Transaction, T> body);

  /**
   * Runs a serializable transaction in a given manifest; see {@link #transaction(Function)}.
   *
   * @param <T> the type of the body's result
   * @param body reads and writes through its {@link Transaction}; may run several times
   * @param options the one manifest to write; {@link WriteOptions#defaults()} for the client's (not
   *     acknowledged locally)
   * @return the body's result, once committed
   * @throws Mps3Exception of kind {@link ErrorKind#CONFLICT} when every attempt lost a race, or as
   *     a write fails
   */
  <T> T transaction(Function<Transaction, T> body, WriteOptions options);

  /**
   * The asynchronous client behind this view.
   *
   * @return the client whose calls this view waits for; closing either closes both
   */
  @Override
  StrictAsyncClient async();
}
