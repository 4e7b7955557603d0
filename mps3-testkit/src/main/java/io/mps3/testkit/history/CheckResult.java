package io.mps3.testkit.history;

import java.util.List;

/**
 * What a checker found in a history: the violations (none when the history is valid) and how much
 * it looked at.
 *
 * @param violations the broken rules, in the order found
 * @param operations how many operations were checked
 * @param notifications how many notifications were checked
 */
public record CheckResult(List<Violation> violations, int operations, int notifications) {

  private static final int SHOWN = 20;

  /** Copies the list. */
  public CheckResult {
    violations = List.copyOf(violations);
  }

  /** Whether no rule was broken. */
  public boolean valid() {
    return violations.isEmpty();
  }

  /**
   * Throws unless the history is valid.
   *
   * @param context what to say first (say the seed), then the violations
   * @throws AssertionError listing the first violations
   */
  public void assertValid(String context) {
    if (!valid()) {
      throw new AssertionError(context + ": " + this);
    }
  }

  @Override
  public String toString() {
    if (valid()) {
      return "valid (" + operations + " operations, " + notifications + " notifications)";
    }
    StringBuilder out = new StringBuilder();
    out.append(violations.size()).append(" violation(s) in ").append(operations);
    out.append(" operations and ").append(notifications).append(" notifications:");
    for (Violation v : violations.subList(0, Math.min(SHOWN, violations.size()))) {
      out.append("\n  ").append(v);
    }
    if (violations.size() > SHOWN) {
      out.append("\n  ... and ").append(violations.size() - SHOWN).append(" more");
    }
    return out.toString();
  }
}
