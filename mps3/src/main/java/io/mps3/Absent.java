package io.mps3;

/**
 * The value that deletes a key in {@link Mps3AsyncClient#putAll}: {@code putAll(Map.of("a", 1, "b",
 * Absent.ABSENT))} sets {@code a} and deletes {@code b} in one atomic write. (Java's {@code null}
 * is JSON {@code null}, a value.)
 *
 * @since 0.1
 */
public final class Absent {

  /** The one instance. */
  public static final Absent ABSENT = new Absent();

  private Absent() {}

  @Override
  public String toString() {
    return "ABSENT";
  }
}
