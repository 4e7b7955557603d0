package io.mps3.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The ETags a local directory's listings computed, kept by file identity, so that a LIST reads the
 * files that changed and not every file it returns (an ETag is the MD5 of the body, stored
 * nowhere). A file's identity is what the kernel says of it: device, inode, change time (ctime),
 * modification time and size. Every write changes the ctime, and the store's writes (a rename over
 * the old file) the inode too, so a file whose identity is unchanged holds the same bytes.
 *
 * <p>One case could fool that: a deleted file's inode taken again by a new file of the same size
 * and modification time (which the store sets from its own clock) within the kernel's ctime tick (a
 * jiffy: 1 to 10 ms). So an ETag is kept only once the file's ctime is {@code settled} old (100 ms,
 * ten ticks or more): a later file on the same inode then has a later ctime. Where the file system
 * has no such attributes (no {@code unix} attribute view), nothing is kept. Thread-safe.
 */
final class ListedEtags {

  /** At most this many ETags are kept; past it, all are dropped and kept again as listed. */
  private static final int MAX = 100_000;

  private static final String ATTRIBUTES = "unix:dev,ino,ctime,lastModifiedTime,size,isRegularFile";

  /** What the kernel says of a file: when this is unchanged, so are its bytes. */
  record Identity(
      Object device,
      Object inode,
      FileTime changed,
      FileTime modified,
      long size,
      boolean regularFile) {}

  private record Known(Identity identity, String etag) {}

  private final Map<Path, Known> known = new ConcurrentHashMap<>();
  private final Duration settled;
  private final LongSupplier wallMillis;
  private volatile boolean supported = true;

  /**
   * @param settled how old a file's ctime must be before its ETag is kept
   * @param wallMillis the kernel's wall clock, which ctimes are read on (not the store's clock)
   */
  ListedEtags(Duration settled, LongSupplier wallMillis) {
    this.settled = settled;
    this.wallMillis = wallMillis;
  }

  /** The default: ETags kept once a file's ctime is 100 ms old. */
  static ListedEtags standard() {
    return new ListedEtags(Duration.ofMillis(100), System::currentTimeMillis);
  }

  /** A file's identity, or null when it is gone or the file system does not say. */
  @Nullable Identity identity(Path file) throws IOException {
    if (!supported) {
      return null;
    }
    Map<String, Object> a;
    try {
      a = Files.readAttributes(file, ATTRIBUTES);
    } catch (NoSuchFileException e) {
      known.remove(file);
      return null;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      supported = false; // no unix view here: every LIST reads its files, as before
      return null;
    }
    Object device = a.get("dev");
    Object inode = a.get("ino");
    if (device == null
        || inode == null
        || !(a.get("ctime") instanceof FileTime changed)
        || !(a.get("lastModifiedTime") instanceof FileTime modified)
        || !(a.get("size") instanceof Long size)
        || !(a.get("isRegularFile") instanceof Boolean regular)) {
      return null;
    }
    return new Identity(device, inode, changed, modified, size, regular);
  }

  /** The ETag kept for a file of this identity, or null. */
  @Nullable String etag(Path file, Identity identity) {
    Known k = known.get(file);
    return k != null && k.identity().equals(identity) ? k.etag() : null;
  }

  /**
   * Keeps the ETag computed from a file's bytes read while it had {@code identity} (read before and
   * after the bytes), once its ctime is settled.
   */
  void remember(Path file, Identity identity, String etag) {
    if (wallMillis.getAsLong() - identity.changed().toMillis() < settled.toMillis()) {
      return;
    }
    if (known.size() >= MAX) {
      known.clear();
    }
    known.put(file, new Known(identity, etag));
  }

  /** How many ETags are kept (tests). */
  int size() {
    return known.size();
  }

  @Override
  public String toString() {
    return "ListedEtags[" + known.size() + " kept, settled after " + settled + "]";
  }
}
