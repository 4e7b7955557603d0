package io.mps3.internal.strict;

import org.jspecify.annotations.Nullable;

/**
 * Object keys of one strict manifest {@code M}: {@code M/log/<n>}, {@code M/checkpoint/<n>}, {@code
 * M/segment/<sha256>} and {@code M/head}, with {@code n} as 20 zero-padded decimal digits so that
 * key order is slot order.
 */
public final class StrictLayout {

  private static final int DIGITS = 20;
  private static final String LOG = "/log/";
  private static final String CHECKPOINT = "/checkpoint/";
  private static final String HEAD = "/head";
  private static final String SEGMENT = "/segment/";

  /**
   * The largest slot number a key, checkpoint or head may name. No log gets near it; a larger
   * number read from the bucket is garbage, and would overflow the next slot ({@code tip + 1}) into
   * a negative key that fails every later write.
   */
  public static final long MAX_SLOT = 999_999_999_999_999_999L;

  private final String manifest;

  /** The layout of manifest {@code manifestKey}. */
  public StrictLayout(String manifestKey) {
    this.manifest = manifestKey;
  }

  /** The manifest's key. */
  public String manifest() {
    return manifest;
  }

  /** The prefix of every log entry. */
  public String logPrefix() {
    return manifest + LOG;
  }

  /** The prefix of every checkpoint. */
  public String checkpointPrefix() {
    return manifest + CHECKPOINT;
  }

  /** The key of slot {@code n}. */
  public String logKey(long n) {
    return logPrefix() + pad(n);
  }

  /** The key of the checkpoint after slot {@code n}. */
  public String checkpointKey(long n) {
    return checkpointPrefix() + pad(n);
  }

  /** The prefix of every checkpoint segment (design 0016). */
  public String segmentPrefix() {
    return manifest + SEGMENT;
  }

  /** The key of the segment named {@code name} (the hex SHA-256 of its body). */
  public String segmentKey(String name) {
    return segmentPrefix() + name;
  }

  /** The key of the head hint. */
  public String headKey() {
    return manifest + HEAD;
  }

  /**
   * Why a DB key may not be written to a client of this manifest, or null (design 0007): the head
   * hint and every key under the log, checkpoint and segment (0016) prefixes. In versioned mode
   * such a key's value is written to the key itself, over an entry, a checkpoint or the head;
   * otherwise its content objects are listed (and read past) by every open. Refused whatever the
   * value's size, so that whether a key is accepted does not depend on the value being inlined.
   */
  public @Nullable String reservedReason(String dbKey) {
    if (dbKey.equals(headKey())) {
      return "it is the manifest's head hint " + headKey();
    }
    if (dbKey.startsWith(logPrefix())) {
      return "it lies under the manifest's log prefix " + logPrefix() + ", beside its entries";
    }
    if (dbKey.startsWith(checkpointPrefix())) {
      return "it lies under the manifest's checkpoint prefix "
          + checkpointPrefix()
          + ", beside its checkpoints";
    }
    if (dbKey.startsWith(segmentPrefix())) {
      return "it lies under the manifest's segment prefix "
          + segmentPrefix()
          + ", beside its checkpoints' segments";
    }
    return null;
  }

  /** What kind of a strict manifest's object a key names. */
  public enum Kind {
    /** {@code M/log/<n>}. */
    LOG,
    /** {@code M/checkpoint/<n>}. */
    CHECKPOINT,
    /** {@code M/head}. */
    HEAD,
    /** {@code M/segment/<sha256>}, a checkpoint's segment (design 0016). */
    SEGMENT
  }

  /**
   * A strict manifest's object, named by its key alone.
   *
   * @param manifest the manifest's key
   * @param kind log entry, checkpoint, head or segment
   * @param slot the slot number (0 for the head and a segment)
   */
  public record Owned(String manifest, Kind kind, long slot) {}

  /**
   * The strict manifest object {@code objectKey} names by its layout, or null: a log or checkpoint
   * key with a well-formed slot number, a segment key with a well-formed name (64 lowercase hex
   * digits), or a key ending in {@code /head}, under a non-empty manifest key. What a gateway asks
   * of a key it sees written; the key alone cannot tell whether such a manifest exists.
   */
  public static @Nullable Owned ownerOf(String objectKey) {
    for (Kind kind : new Kind[] {Kind.LOG, Kind.CHECKPOINT}) {
      String middle = kind == Kind.LOG ? LOG : CHECKPOINT;
      int at = objectKey.lastIndexOf(middle);
      if (at > 0) {
        String manifest = objectKey.substring(0, at);
        Long n = number(manifest + middle, objectKey);
        if (n != null) {
          return new Owned(manifest, kind, n);
        }
      }
    }
    int segment = objectKey.lastIndexOf(SEGMENT);
    if (segment > 0 && StrictSegment.isName(objectKey.substring(segment + SEGMENT.length()))) {
      return new Owned(objectKey.substring(0, segment), Kind.SEGMENT, 0);
    }
    if (objectKey.endsWith(HEAD) && objectKey.length() > HEAD.length()) {
      return new Owned(objectKey.substring(0, objectKey.length() - HEAD.length()), Kind.HEAD, 0);
    }
    return null;
  }

  /**
   * The slot number of a log or checkpoint key under {@code prefix}; null when malformed (or above
   * {@link #MAX_SLOT}).
   */
  public static @Nullable Long number(String prefix, String key) {
    if (!key.startsWith(prefix) || key.length() != prefix.length() + DIGITS) {
      return null;
    }
    String digits = key.substring(prefix.length());
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return null;
      }
    }
    if (digits.charAt(0) != '0' || digits.charAt(1) != '0') {
      return null; // above MAX_SLOT (18 digits), and perhaps above Long.MAX_VALUE
    }
    return Long.parseLong(digits); // at most 18 significant decimal digits: cannot fail
  }

  private static String pad(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("slot numbers are positive, was " + n);
    }
    String digits = Long.toString(n);
    return "0".repeat(DIGITS - digits.length()) + digits;
  }
}
