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

  /** The value of a key; empty when absent. Records the key's version as a precondition. */
  Optional<JsonNode> get(String key);

  /** The value of a key converted to a type; empty when absent or JSON {@code null}. */
  <T> Optional<T> get(String key, Class<T> type);

  /** Writes a value when the transaction commits. */
  void put(String key, @Nullable Object value);

  /** Deletes a key when the transaction commits. */
  void delete(String key);
}
