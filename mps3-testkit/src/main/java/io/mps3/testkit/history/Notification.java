package io.mps3.testkit.history;

import org.jspecify.annotations.Nullable;

/**
 * A change a subscription delivered to its listener.
 *
 * @param client the client whose subscription it is
 * @param subscription the subscription's number, unique in its history
 * @param key the key that changed
 * @param value the value delivered ({@code null}: absent)
 * @param at the history's sequence number when the listener ran
 * @param nanos {@code System.nanoTime()} when the listener ran
 */
public record Notification(
    int client, int subscription, String key, @Nullable String value, long at, long nanos) {

  @Override
  public String toString() {
    return "c"
        + client
        + " subscription "
        + subscription
        + ": "
        + key
        + " = "
        + Call.show(value)
        + " ["
        + at
        + "]";
  }
}
