package io.mps3.testkit.history;

/**
 * One broken rule found in a history.
 *
 * @param rule the rule's name, as the checker that found it names it
 * @param message what happened, naming the clients, keys, values and operations involved
 */
public record Violation(String rule, String message) {

  @Override
  public String toString() {
    return rule + ": " + message;
  }
}
