package io.mps3;

import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalEntry;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalLog;
import io.mps3.internal.causal.CausalSettings;
import io.mps3.internal.causal.CausalView;
import io.mps3.internal.manifest.Errors;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manifest's log as it lies in the bucket, for a person inspecting or repairing it: every object
 * under the manifest's prefix, newest first, with what readers make of it, and the state they
 * resolve. Read-only: nothing is written or deleted.
 *
 * @since 0.1
 */
public final class ManifestLog {

  /** What readers make of an object under the manifest's prefix. */
  public enum Status {
    /** A log entry readers use. */
    VALID,
    /** A log entry whose timestamp is 5 s or more from its LastModified: readers ignore it. */
    SKEWED,
    /** A log entry whose body is not an entry: readers skip it. */
    UNREADABLE,
    /** Not a log entry (a value named like the manifest): readers never touch it. */
    NOT_AN_ENTRY
  }

  /**
   * One object under the manifest's prefix.
   *
   * @param key the object key
   * @param time the entry's timestamp (null when not an entry)
   * @param session the writer's session (null when not an entry)
   * @param lastModified when the store wrote it
   * @param size its size in bytes
   * @param status what readers make of it
   */
  public record Entry(
      String key,
      @org.jspecify.annotations.Nullable Instant time,
      @org.jspecify.annotations.Nullable String session,
      Instant lastModified,
      long size,
      Status status) {}

  private final List<Entry> entries;
  private final Map<String, String> state;

  private ManifestLog(List<Entry> entries, Map<String, String> state) {
    this.entries = entries;
    this.state = state;
  }

  /**
   * Reads a manifest's log (the causal protocol's layout).
   *
   * @param store the store that holds the bucket; the caller keeps it open and closes it
   * @param bucket the bucket's name
   * @param manifestKey the manifest's key, such as {@code manifest.json}
   * @param limit the most entries to read the bodies of, newest first
   * @return the log's objects and the state they resolve to
   * @throws Mps3Exception when the store fails
   */
  public static ManifestLog read(ObjectStore store, String bucket, String manifestKey, int limit) {
    try {
      CausalLayout layout = new CausalLayout(manifestKey);
      List<ObjectMetadata> objects = store.listAll(bucket, layout.entryPrefix(), null).join();
      List<Entry> entries = new ArrayList<>();
      for (ObjectMetadata object : objects) {
        CausalLayout.EntryKey key = layout.parseEntryKey(object.key()).orNull();
        if (key == null) {
          entries.add(
              new Entry(
                  object.key(),
                  null,
                  null,
                  object.lastModified(),
                  object.size(),
                  Status.NOT_AN_ENTRY));
          continue;
        }
        Status status =
            Math.abs(key.time() - object.lastModified().toEpochMilli()) >= 5000
                ? Status.SKEWED
                : Status.VALID;
        if (status == Status.VALID && entries.size() < limit) {
          GetResult body = store.get(bucket, object.key()).join();
          if (body instanceof GetResult.Found found) {
            if (CausalEntry.parse(object.key(), found.object().body()) instanceof Parsed.Invalid) {
              status = Status.UNREADABLE;
            }
          }
        }
        entries.add(
            new Entry(
                object.key(),
                Instant.ofEpochMilli(key.time()),
                key.session(),
                object.lastModified(),
                object.size(),
                status));
      }
      // Resolve as a reader would, at the newest LastModified seen (so old logs still resolve).
      Instant newest =
          objects.stream()
              .map(ObjectMetadata::lastModified)
              .max(Instant::compareTo)
              .orElse(Instant.now());
      Clock at = Clock.fixed(newest.plusSeconds(1), java.time.ZoneOffset.UTC);
      CausalSettings settings = CausalSettings.readingOnly(true);
      CausalView view =
          new CausalLog(
                  store, bucket, layout, at, settings, "inspector", new AtomicLong(), (k, r) -> {})
              .refresh(null)
              .join();
      Map<String, String> state = new LinkedHashMap<>();
      for (String url : view.fileUrls()) {
        String version = view.version(url);
        if (version != null) {
          state.put(url, version);
        }
      }
      return new ManifestLog(
          Collections.unmodifiableList(entries), Collections.unmodifiableMap(state));
    } catch (CompletionException e) {
      throw Errors.translate(e);
    }
  }

  /** {@return the objects under the manifest's prefix, newest entry first} */
  public List<Entry> entries() {
    return entries;
  }

  /** {@return the resolved state: file URL ({@code bucket/key}) to content version} */
  public Map<String, String> state() {
    return state;
  }
}
