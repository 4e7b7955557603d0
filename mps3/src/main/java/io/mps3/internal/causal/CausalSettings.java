package io.mps3.internal.causal;

import java.time.Duration;

/**
 * The knobs of the causal protocol.
 *
 * @param window the skew filter and replay window (5 s in the protocol)
 * @param lookahead how far into the future entries are listed (10 s in the protocol)
 * @param clockOffset the initial clock offset
 * @param adaptiveClock whether to learn the offset from the store's {@code Date}
 * @param versioned whether content lives in versioned objects ({@code K?versionId=V})
 * @param listEveryNthPoll a LIST at least every Nth read, even when the marker says unchanged
 * @param maxEntryBytes entries larger than this are skipped
 * @param autoclean whether to delete entries no reader needs any more
 * @param autocleanGrace how long past need an entry is kept, for readers in flight
 * @param windowClaims whether entries carry window claims and reads trust them (design 0024); off
 *     where a resolution must replay every entry, as the JavaScript client does (the gateway)
 */
public record CausalSettings(
    Duration window,
    Duration lookahead,
    Duration clockOffset,
    boolean adaptiveClock,
    boolean versioned,
    int listEveryNthPoll,
    long maxEntryBytes,
    boolean autoclean,
    Duration autocleanGrace,
    boolean windowClaims) {

  /** The protocol's defaults, unversioned, adaptive clock on. */
  public static CausalSettings defaults() {
    return new CausalSettings(
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ZERO,
        true,
        false,
        30,
        16L << 20,
        true,
        Duration.ofMinutes(5),
        true);
  }

  /** The defaults of a client that only reads: no adaptive clock (a writer's), no autoclean. */
  public static CausalSettings readingOnly(boolean windowClaims) {
    CausalSettings d = defaults();
    return new CausalSettings(
        d.window,
        d.lookahead,
        d.clockOffset,
        false,
        d.versioned,
        d.listEveryNthPoll,
        d.maxEntryBytes,
        false,
        d.autocleanGrace,
        windowClaims);
  }
}
