package io.mps3;

import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.LargeManifestWarning;
import io.mps3.internal.content.KeyText;
import io.mps3.internal.manifest.Errors;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.StoredObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What clients cannot read in a manifest's objects, for a person repairing it ({@code mps3 doctor
 * --manifest}, {@code mps3 repair}): every object of the manifest's log (causal: {@code M@...};
 * strict: {@code M/log/...}, {@code M/checkpoint/...}, {@code M/head}) and every content object its
 * resolved state references, each parsed as clients parse it. Read-only: nothing is written.
 *
 * <p>Only objects a parser finds invalid are offered to the {@link Quarantine}: an entry that is
 * valid but skewed (readers ignore it and autoclean removes it), or a user's object that merely
 * starts with the manifest's name ({@code M@x}, issue #18), is not garbage and is left alone.
 * Bodies are never quoted, only keys and reasons.
 *
 * @since 0.1
 */
public final class ManifestCheck {

  /** An object clients cannot read, and what {@link Quarantine} can do about it. */
  public static final class Finding {

    /** What repairing a finding does. */
    public enum Action {
      /** Copy it to the quarantine, then delete it. */
      MOVE,
      /**
       * Copy it to the quarantine, then overwrite it with an entry that changes nothing: a strict
       * slot, once written, is part of the log's order, and an empty slot would let a later write
       * take it where readers that already passed it never look. Readers counted it as empty
       * already, so no state changes.
       */
      MOVE_AND_FILL_SLOT,
      /** Nothing: it is missing, or the store cannot serve it. Reported only. */
      NONE
    }

    private final String key;
    private final String reason;
    private final Action action;
    private final @Nullable String etag;
    private final long slot;

    Finding(String key, String reason, Action action, @Nullable String etag, long slot) {
      this.key = key;
      this.reason = reason;
      this.action = action;
      this.etag = etag;
      this.slot = slot;
    }

    /** {@return the unreadable object's key in the bucket} */
    public String key() {
      return key;
    }

    /** {@return why clients cannot read it (the parser's reason; never the body)} */
    public String reason() {
      return reason;
    }

    /** {@return what a repair does with it} */
    public Action action() {
      return action;
    }

    /** The ETag it had when checked: a repair leaves it alone if it changed since. */
    @Nullable String etag() {
      return etag;
    }

    /** The strict slot number, for {@link Action#MOVE_AND_FILL_SLOT}. */
    long slot() {
      return slot;
    }
  }

  private final List<Finding> findings;
  private final int valid;
  private final int ignored;
  private final long keys;
  private final long entryBytes;

  private ManifestCheck(Tally tally) {
    this.findings = Collections.unmodifiableList(tally.findings);
    this.valid = tally.valid;
    this.ignored = tally.ignored;
    this.keys = tally.keys;
    this.entryBytes = tally.entryBytes;
  }

  /**
   * Checks one manifest: reads every object of its log and reports those clients cannot read.
   *
   * @param store the store that holds the bucket; the caller keeps it open and closes it
   * @param bucket the bucket's name
   * @param manifestKey the manifest's key, such as {@code manifest.json}
   * @param protocol the protocol the manifest was written with; not null
   * @return what the check found; no findings when every object is readable
   * @throws Mps3Exception when the store fails
   */
  public static ManifestCheck check(
      ObjectStore store, String bucket, String manifestKey, Protocol protocol) {
    Objects.requireNonNull(protocol, "protocol");
    Tally tally = new Tally(store, bucket);
    try {
      if (protocol == Protocol.STRICT) {
        StrictManifestCheck.run(tally, manifestKey);
      } else {
        CausalManifestCheck.run(tally, manifestKey);
      }
    } catch (CompletionException e) {
      throw Errors.translate(e);
    }
    return new ManifestCheck(tally);
  }

  /** {@return the objects clients cannot read, in the order checked; empty when none} */
  public List<Finding> findings() {
    return findings;
  }

  /** {@return how many objects were read and are valid} */
  public int validCount() {
    return valid;
  }

  /**
   * {@return how many objects were left alone without reading} These are skewed entries (readers
   * ignore them), and objects under the manifest's prefixes that are no part of its log (a user's
   * keys).
   */
  public int ignoredCount() {
    return ignored;
  }

  /**
   * {@return how many keys the manifest's resolved state holds; -1 for a strict manifest (not
   * counted)}
   */
  public long keyCount() {
    return keys;
  }

  /**
   * {@return the size in bytes of a causal manifest's newest entry, about what each put writes to
   * its log (every entry carries the whole state); -1 for a strict manifest or an empty log}
   */
  public long entryBytes() {
    return entryBytes;
  }

  /** {@return the most keys a causal manifest should hold: past it, clients log a warning} */
  public static int causalKeysAdvised() {
    return LargeManifestWarning.KEYS;
  }

  /** Collects what the checks of one manifest find. Not thread-safe. */
  static final class Tally {
    private static final Pattern UUID_FORM =
        Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    final ObjectStore store;
    final String bucket;
    final List<Finding> findings = new ArrayList<>();
    int valid;
    int ignored;
    long keys = -1;
    long entryBytes = -1;

    Tally(ObjectStore store, String bucket) {
      this.store = store;
      this.bucket = bucket;
    }

    /** The object, or null when it is gone. */
    @Nullable StoredObject read(String key) {
      GetResult result = store.get(bucket, key).join();
      return result instanceof GetResult.Found found ? found.object() : null;
    }

    /** Counts a parse: valid, or a finding that a repair handles with {@code action}. */
    void parsed(Parsed<?> parsed, StoredObject object, Finding.Action action, long slot) {
      if (parsed instanceof Parsed.Invalid<?> invalid) {
        findings.add(
            new Finding(invalid.key(), invalid.reason(), action, object.metadata().etag(), slot));
      } else {
        valid++;
      }
    }

    /**
     * Reports a key of the state that manifest {@code manifestKey} reserves (design 0007, issue
     * #18): its value is at risk where it lies, or already gone (a JavaScript client's cleanup
     * deletes such content as old log entries). Reported only: no repair can bring content back,
     * and moving the key is the user's call. {@code version} is null for a strict inline value.
     */
    void reserved(String dbKey, @Nullable String version, String manifestKey, String reason) {
      String key = version == null ? dbKey : CausalLayout.contentKey(dbKey, version);
      boolean present;
      try {
        present = version == null || read(key) != null;
      } catch (IllegalArgumentException e) {
        present = false; // a key no store can hold: it cannot be read either
      }
      String shown = KeyText.excerpt(dbKey);
      String manifest = KeyText.excerpt(manifestKey);
      findings.add(
          new Finding(
              key,
              present
                  ? "key "
                      + shown
                      + " is reserved by manifest "
                      + manifest
                      + ": "
                      + reason
                      + "; copy its value to another key and delete this one"
                  : "content of key "
                      + shown
                      + " is missing (removed?); the key is reserved by manifest "
                      + manifest
                      + ": "
                      + reason,
              Finding.Action.NONE,
              null,
              0));
    }

    /** Checks the content object of {@code version} of file URL {@code url}. */
    void content(String url, String version) {
      String dbKey = CausalLayout.dbKey(bucket, url);
      if (dbKey == null) {
        ignored++; // another bucket's value: checked with that bucket
        return;
      }
      String key = CausalLayout.contentKey(dbKey, version);
      StoredObject object;
      try {
        object = read(key);
      } catch (IllegalArgumentException e) {
        // a key this store cannot hold (too long, say), written by another client (issue #18)
        findings.add(
            new Finding(key, String.valueOf(e.getMessage()), Finding.Action.NONE, null, 0));
        return;
      }
      if (object == null) {
        String missing = "content referenced by the manifest is missing";
        findings.add(new Finding(key, missing, Finding.Action.NONE, null, 0));
        return;
      }
      // Writers name content by a fresh UUID (PROTOCOL.md A1); an object named otherwise may be
      // anyone's, pointed at by a forged entry: reported, never moved.
      boolean ours = UUID_FORM.matcher(version).matches();
      parsed(
          BucketJson.read(key, object.body()),
          object,
          ours ? Finding.Action.MOVE : Finding.Action.NONE,
          0);
    }
  }
}
