package io.mps3.store;

import java.time.Duration;
import java.util.List;

/**
 * What {@link StoreProbe} found out about a store: a report a person can read ({@link #toText()})
 * and a program can act on.
 *
 * @param store the store and bucket probed
 * @param conditionalCreate concurrent {@code If-None-Match: *} creates of one new key
 * @param staleCreateRejected whether a sequential create of an existing key was refused
 * @param conditionalReplace concurrent {@code If-Match} replaces from one ETag
 * @param staleReplaceRejected whether a replace with an outdated ETag was refused
 * @param versioning whether writes return version ids (bucket versioning is on)
 * @param clockOffset the store's clock minus this machine's, from the {@code Date} header (whole
 *     seconds; null when the store sends no date)
 * @param roundTrip the median time of one small write
 * @param lastModifiedMillis whether LastModified has milliseconds (else whole seconds)
 * @param notes anything else worth knowing
 * @since 0.1
 */
public record StoreReport(
    String store,
    RaceResult conditionalCreate,
    boolean staleCreateRejected,
    RaceResult conditionalReplace,
    boolean staleReplaceRejected,
    boolean versioning,
    @org.jspecify.annotations.Nullable Duration clockOffset,
    Duration roundTrip,
    boolean lastModifiedMillis,
    List<String> notes) {

  /**
   * Copies the notes.
   *
   * @param store the store and bucket probed
   * @param conditionalCreate concurrent {@code If-None-Match: *} creates of one new key
   * @param staleCreateRejected whether a sequential create of an existing key was refused
   * @param conditionalReplace concurrent {@code If-Match} replaces from one ETag
   * @param staleReplaceRejected whether a replace with an outdated ETag was refused
   * @param versioning whether writes return version ids
   * @param clockOffset the store's clock minus this machine's, or null when it sends no date
   * @param roundTrip the median time of one small write
   * @param lastModifiedMillis whether LastModified has milliseconds
   * @param notes anything else worth knowing; empty when nothing
   */
  public StoreReport {
    notes = List.copyOf(notes);
  }

  /**
   * The outcome of racing writers: in each round, {@code racers} writers sent the same conditional
   * write at once, and exactly one should have won.
   *
   * @param rounds rounds run (the race stops at the first round with several winners)
   * @param racers writers per round
   * @param roundsWithOneWinner rounds that had exactly one winner
   * @param mostWinners the most winners any round had
   */
  public record RaceResult(int rounds, int racers, int roundsWithOneWinner, int mostWinners) {
    /** {@return whether every round had exactly one winner (and at least one round ran)} */
    public boolean atomic() {
      return rounds > 0 && roundsWithOneWinner == rounds;
    }

    String describe() {
      return (atomic() ? "atomic" : "NOT atomic")
          + String.format(
              " (%d/%d rounds of %d racers had exactly one winner; most winners in a round: %d)",
              roundsWithOneWinner, rounds, racers, mostWinners);
    }
  }

  /**
   * {@return whether the strict protocol may use this store} It may when conditional creates are
   * atomic and a create of an existing key is refused.
   */
  public boolean strictProtocolSupported() {
    return conditionalCreate.atomic() && staleCreateRejected;
  }

  /** {@return the report as lines of text, for a person to read} */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("store:                         ").append(store).append('\n');
    out.append("create if absent (If-None-Match: *)\n");
    out.append("  existing key refused:        ").append(yesNo(staleCreateRejected)).append('\n');
    out.append("  concurrent creates:          ").append(conditionalCreate.describe()).append('\n');
    out.append("replace if match (If-Match)\n");
    out.append("  stale ETag refused:          ").append(yesNo(staleReplaceRejected)).append('\n');
    out.append("  concurrent replaces:         ")
        .append(conditionalReplace.describe())
        .append('\n');
    out.append("versioning:                    ").append(versioning ? "on" : "off").append('\n');
    out.append("clock offset (store - local):  ")
        .append(clockOffset == null ? "unknown (no Date header)" : clockOffset.toMillis() + " ms")
        .append('\n');
    out.append("write round trip (median):     ").append(roundTrip.toMillis()).append(" ms\n");
    out.append("LastModified precision:        ")
        .append(lastModifiedMillis ? "milliseconds" : "whole seconds")
        .append('\n');
    out.append("protocols:                     causal")
        .append(
            strictProtocolSupported() ? ", strict" : " only (strict needs atomic If-None-Match: *)")
        .append('\n');
    for (String note : notes) {
      out.append("note: ").append(note).append('\n');
    }
    return out.toString();
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "NO";
  }
}
