package io.mps3.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, thread-safe memo of values that are costly to compute and always the same for a key (a
 * SigV4 signing key, an opened session token). When full it is emptied at once rather than evicting
 * one by one: the per-request cost stays one hash lookup, memory stays bounded whatever callers
 * send, and a value dropped is only computed again. Neither keys nor values are ever printed by it.
 *
 * @param <K> the key
 * @param <V> the value
 */
final class RecentValues<K, V> {

  private final int capacity;
  private final Map<K, V> values = new ConcurrentHashMap<>();

  /**
   * @param capacity how many values it holds at most
   */
  RecentValues(int capacity) {
    this.capacity = capacity;
  }

  /** The value remembered for a key, or null. */
  @Nullable V get(K key) {
    return values.get(key);
  }

  /** Remembers a value for a key. */
  void put(K key, V value) {
    if (values.size() >= capacity) {
      values.clear();
    }
    values.put(key, value);
  }

  /** The value for a key: remembered, or computed (outside any lock) and remembered. */
  V get(K key, Function<K, V> compute) {
    V value = values.get(key);
    if (value == null) {
      value = compute.apply(key);
      put(key, value);
    }
    return value;
  }
}
