package io.mps3.testkit.history;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a client asked for: the kind of operation, the keys it names with the values it writes, and
 * the expected value of a compare-and-set. A value is a string (the runner writes unique strings
 * such as {@code "c1-7"}); {@code null} stands for absent (a delete, or a compare-and-set that
 * expects the key to be absent).
 *
 * @param kind the operation
 * @param values each key the operation names, with the value it writes ({@code null} for a delete;
 *     always {@code null} for the keys of reads and subscriptions), in the caller's order
 * @param expected what a compare-and-set expects the key to hold ({@code null}: absent)
 */
public record Call(Kind kind, Map<String, @Nullable String> values, @Nullable String expected) {

  /** The kinds of operation a history records. */
  public enum Kind {
    /** Reads one key. */
    GET,
    /** Writes one key. */
    PUT,
    /** Deletes one key. */
    DELETE,
    /** Writes or deletes several keys at once. */
    PUT_ALL,
    /** Writes one key if it holds the expected value. */
    COMPARE_AND_SET,
    /** Starts a subscription to one key. */
    SUBSCRIBE,
    /** Ends a subscription to one key. */
    UNSUBSCRIBE
  }

  /** Copies the map, keeping its order and its null values. */
  public Call {
    Objects.requireNonNull(kind, "kind");
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a call names at least one key");
    }
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Reads {@code key}. */
  public static Call get(String key) {
    return single(Kind.GET, key, null);
  }

  /** Writes {@code value} to {@code key}. */
  public static Call put(String key, String value) {
    return single(Kind.PUT, key, Objects.requireNonNull(value, "value"));
  }

  /** Deletes {@code key}. */
  public static Call delete(String key) {
    return single(Kind.DELETE, key, null);
  }

  /** Writes several keys at once; a null value deletes its key. */
  public static Call putAll(Map<String, @Nullable String> values) {
    return new Call(Kind.PUT_ALL, values, null);
  }

  /** Writes {@code value} to {@code key} if it holds {@code expected} (null: if absent). */
  public static Call compareAndSet(String key, @Nullable String expected, String value) {
    Map<String, @Nullable String> values = new LinkedHashMap<>();
    values.put(key, Objects.requireNonNull(value, "value"));
    return new Call(Kind.COMPARE_AND_SET, values, expected);
  }

  /** Subscribes to {@code key}. */
  public static Call subscribe(String key) {
    return single(Kind.SUBSCRIBE, key, null);
  }

  /** Ends the subscription to {@code key}. */
  public static Call unsubscribe(String key) {
    return single(Kind.UNSUBSCRIBE, key, null);
  }

  private static Call single(Kind kind, String key, @Nullable String value) {
    Map<String, @Nullable String> values = new LinkedHashMap<>();
    values.put(Objects.requireNonNull(key, "key"), value);
    return new Call(kind, values, null);
  }

  /** The one key of a single-key call. */
  public String key() {
    if (values.size() != 1) {
      throw new IllegalStateException(kind + " names " + values.size() + " keys");
    }
    return values.keySet().iterator().next();
  }

  /** Whether the call may change the state: a put, delete, batch or compare-and-set. */
  public boolean isWrite() {
    return kind == Kind.PUT
        || kind == Kind.DELETE
        || kind == Kind.PUT_ALL
        || kind == Kind.COMPARE_AND_SET;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case GET, DELETE, SUBSCRIBE, UNSUBSCRIBE ->
          kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + key() + ")";
      case PUT -> "put(" + key() + ", " + values.get(key()) + ")";
      case COMPARE_AND_SET ->
          "cas(" + key() + ", " + show(expected) + " -> " + values.get(key()) + ")";
      default -> {
        StringBuilder out = new StringBuilder("putAll(");
        values.forEach(
            (k, v) ->
                out.append(out.length() > 7 ? ", " : "").append(k).append('=').append(show(v)));
        yield out.append(')').toString();
      }
    };
  }

  /** A value as histories print it: absent shows as {@code <absent>}. */
  static String show(@Nullable String value) {
    return value == null ? "<absent>" : value;
  }
}
