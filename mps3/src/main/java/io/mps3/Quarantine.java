package io.mps3;

import io.mps3.ManifestCheck.Finding;
import io.mps3.internal.manifest.Errors;
import io.mps3.internal.strict.StrictEntry;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.StoredObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * Where {@code mps3 repair} moves objects clients cannot read: {@code .mps3/quarantine/<UTC time of
 * the run>/<original key>}, a prefix no protocol reads or cleans. Nothing is ever deleted before
 * its copy was read back with the same bytes, and nothing but the {@link ManifestCheck.Finding}s
 * given is touched. Thread-safe.
 *
 * @since 0.1
 */
public final class Quarantine {

  /** The prefix of every quarantined object. */
  public static final String PREFIX = ".mps3/quarantine/";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** What moving one object did. */
  public enum Outcome {
    /** Copied to the quarantine, checked, and removed from its place. */
    MOVED,
    /** Gone since the check: nothing to do. */
    GONE,
    /** Changed since the check (another ETag): left alone; check again. */
    CHANGED
  }

  private final String folder;

  private Quarantine(String folder) {
    this.folder = folder;
  }

  /**
   * The quarantine of a repair run at {@code time}.
   *
   * @param time when the run started; names the folder, in UTC
   * @return the quarantine under {@link #PREFIX} for that time
   */
  public static Quarantine at(Instant time) {
    return new Quarantine(PREFIX + STAMP.format(time) + "/");
  }

  /**
   * The key an object moves to.
   *
   * @param originalKey the object's key in the bucket
   * @return the key under this quarantine's folder; not checked (see {@link #problem})
   */
  public String keyFor(String originalKey) {
    return folder + originalKey;
  }

  /**
   * Why an object cannot be moved here: its quarantine key would be too long for a key.
   *
   * @param originalKey the object's key in the bucket
   * @return the problem, or null when the object can be moved
   */
  public @org.jspecify.annotations.Nullable String problem(String originalKey) {
    try {
      ObjectKeys.requireValidKey(keyFor(originalKey));
      return null;
    } catch (IllegalArgumentException e) {
      return "its quarantine key would be invalid (" + e.getMessage() + ")";
    }
  }

  /**
   * Moves one finding aside: copies it, reads the copy back and compares the bytes, then deletes
   * the original or, for a strict slot, overwrites it with an entry that changes nothing.
   *
   * @param store the store that holds the bucket; the caller keeps it open and closes it
   * @param bucket the bucket the finding was made in
   * @param finding a finding of {@link ManifestCheck} whose action is not {@code NONE}
   * @return what the move did; {@link Outcome#GONE} or {@link Outcome#CHANGED} touch nothing
   * @throws IllegalArgumentException when the finding is not to be moved
   * @throws Mps3Exception when the store fails, or the copy does not read back the same; the
   *     original is then left in place
   */
  public Outcome moveAside(ObjectStore store, String bucket, Finding finding) {
    Objects.requireNonNull(finding, "finding");
    if (finding.action() == Finding.Action.NONE) {
      throw new IllegalArgumentException("nothing to move for " + finding.key());
    }
    String target = keyFor(finding.key());
    try {
      GetResult current = store.get(bucket, finding.key()).join();
      if (!(current instanceof GetResult.Found found)) {
        return Outcome.GONE;
      }
      StoredObject original = found.object();
      if (finding.etag() != null && !finding.etag().equals(original.metadata().etag())) {
        return Outcome.CHANGED;
      }
      PutOptions raw = PutOptions.unconditional().withContentType("application/octet-stream");
      store.put(bucket, target, original.body(), raw).join();
      GetResult copy = store.get(bucket, target).join();
      if (!(copy instanceof GetResult.Found copied)
          || !Arrays.equals(copied.object().body(), original.body())) {
        throw new Mps3Exception(
            ErrorKind.UNAVAILABLE,
            "the copy of "
                + finding.key()
                + " at "
                + target
                + " does not read back the same"
                + " bytes; the original is left in place",
            null);
      }
      if (finding.action() == Finding.Action.MOVE_AND_FILL_SLOT) {
        // Writers create slots with If-None-Match: *, so none of them writes an existing slot:
        // only this overwrite does, and readers see either the garbage or the empty entry, which
        // they count the same.
        StrictEntry empty =
            new StrictEntry(
                finding.slot(),
                Instant.now().toEpochMilli(),
                "mps3-repair",
                "repair-" + UUID.randomUUID(),
                Map.of(),
                Map.of());
        PutOptions json = PutOptions.unconditional().withContentType(PutOptions.JSON);
        store.put(bucket, finding.key(), empty.toBytes(), json).join();
      } else {
        store.delete(bucket, finding.key()).join();
      }
      return Outcome.MOVED;
    } catch (CompletionException e) {
      throw Errors.translate(e);
    }
  }
}
