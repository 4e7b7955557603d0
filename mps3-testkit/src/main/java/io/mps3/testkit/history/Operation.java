package io.mps3.testkit.history;

import org.jspecify.annotations.Nullable;

/**
 * One operation of a history: who called what, when, and how it ended.
 *
 * <p>Times are the history's global sequence numbers (every invocation, response and notification
 * takes the next one, so they order all events of all clients as the recorder saw them) and {@code
 * System.nanoTime()} readings. The recorder stamps an invocation before the call starts and a
 * response after it ended, so the recorded interval contains the real one.
 *
 * @param id the operation's number in its history (from 0, in order of invocation)
 * @param client the client that called it
 * @param call what was asked
 * @param outcome how it ended
 * @param read what a successful get returned ({@code null}: absent)
 * @param swapped whether a successful compare-and-set wrote its value
 * @param invoke sequence number of the invocation
 * @param response sequence number of the response; {@link Long#MAX_VALUE} if none came
 * @param invokeNanos {@code System.nanoTime()} at the invocation
 * @param responseNanos {@code System.nanoTime()} at the response; {@link Long#MAX_VALUE} if none
 */
public record Operation(
    int id,
    int client,
    Call call,
    Outcome outcome,
    @Nullable String read,
    boolean swapped,
    long invoke,
    long response,
    long invokeNanos,
    long responseNanos) {

  /** How an operation ended. */
  public enum Outcome {
    /** It succeeded: a write is acknowledged, a read returned {@link #read()}. */
    OK,
    /** It failed and certainly had no effect (a failed read, a write refused before it began). */
    FAILED,
    /** It failed or never answered, and a write may or may not have taken effect. */
    UNKNOWN
  }

  /** The one key of a single-key operation. */
  public String key() {
    return call.key();
  }

  /** Whether the operation succeeded. */
  public boolean acknowledged() {
    return outcome == Outcome.OK;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append('#').append(id).append(" c").append(client).append(' ').append(call);
    switch (outcome) {
      case OK -> {
        if (call.kind() == Call.Kind.GET) {
          out.append(" -> ").append(Call.show(read));
        } else if (call.kind() == Call.Kind.COMPARE_AND_SET) {
          out.append(swapped ? " -> swapped" : " -> not swapped");
        } else {
          out.append(" -> ok");
        }
      }
      case FAILED -> out.append(" -> failed");
      default -> out.append(" -> unknown");
    }
    out.append(" [").append(invoke).append("..");
    out.append(response == Long.MAX_VALUE ? "never" : Long.toString(response)).append(']');
    return out.toString();
  }
}
