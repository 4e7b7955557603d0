package io.mps3.internal.bucket;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a parser made of a name or body read from the bucket: the value, or why the object is not
 * valid. Anyone can put anything into a bucket, so nothing read from it is trusted: every parser of
 * bucket data returns this instead of throwing, and its callers skip what is invalid (issue #16:
 * one hand-made object named like a log entry stopped every client of its manifest).
 *
 * @param <T> the parsed value
 */
public sealed interface Parsed<T> {

  /** A valid object. */
  record Valid<T>(T value) implements Parsed<T> {}

  /**
   * An object that is not what its name or place says.
   *
   * @param key the object's key
   * @param reason why, for a log line: never the body itself
   */
  record Invalid<T>(String key, String reason) implements Parsed<T> {}

  /** A valid result. */
  static <T> Parsed<T> valid(T value) {
    return new Valid<>(value);
  }

  /** An invalid result. */
  static <T> Parsed<T> invalid(String key, String reason) {
    return new Invalid<>(key, reason);
  }

  /** The value, or null when invalid. */
  default @Nullable T orNull() {
    return this instanceof Valid<T> v ? v.value() : null;
  }

  /** The value mapped by {@code f}, or this invalid result. */
  default <R> Parsed<R> map(Function<T, R> f) {
    if (this instanceof Valid<T> v) {
      return valid(f.apply(v.value()));
    }
    Invalid<T> i = (Invalid<T>) this;
    return invalid(i.key(), i.reason());
  }

  /** The value, or the result of {@code next} on it when valid; this invalid result otherwise. */
  default <R> Parsed<R> then(Function<T, Parsed<R>> next) {
    if (this instanceof Valid<T> v) {
      return next.apply(v.value());
    }
    Invalid<T> i = (Invalid<T>) this;
    return invalid(i.key(), i.reason());
  }
}
