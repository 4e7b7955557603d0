package io.mps3.store;

import io.mps3.internal.store.InMemoryObjectStore;
import io.mps3.internal.store.LocalDirectoryObjectStore;
import io.mps3.spi.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Factories of the built-in stores. The S3 store has a builder of its own: {@link
 * S3ObjectStore#builder()}.
 *
 * <p>These stores have no timeout, retry or deadline, unlike the S3 store ({@code callTimeout}): a
 * call is a file or memory operation that completes or fails with the file system's error, with no
 * network to time out and no outage to ride out (a local write may wait for another process's write
 * under the same directory lock, held for one file write).
 *
 * @since 0.1
 */
public final class ObjectStores {

  private ObjectStores() {}

  /**
   * The embedded default: buckets are directories under {@code root} (created if missing) and
   * objects are plain files. Several processes may share the directory: writes are atomic and
   * conditional writes stay correct across processes. Unversioned.
   *
   * @param root the directory that holds the buckets; created if missing
   * @return a new store; the caller closes it
   */
  public static ObjectStore localDirectory(Path root) {
    return localDirectory(root, Clock.systemUTC());
  }

  /**
   * A local directory store whose LastModified times and server date come from {@code clock}.
   *
   * @param root the directory that holds the buckets; created if missing
   * @param clock gives the objects' LastModified times and the server date the store reports
   * @return a new store; the caller closes it
   */
  public static ObjectStore localDirectory(Path root, Clock clock) {
    return LocalDirectoryObjectStore.open(root, clock);
  }

  /**
   * A store in this process's memory, unversioned, for tests and caches.
   *
   * @return a new, empty store; its content is lost when it is closed or dropped
   */
  public static ObjectStore inMemory() {
    return inMemory(Clock.systemUTC());
  }

  /**
   * An in-memory store whose LastModified times and server date come from {@code clock}.
   *
   * @param clock gives the objects' LastModified times and the server date the store reports
   * @return a new, empty, unversioned store
   */
  public static ObjectStore inMemory(Clock clock) {
    return InMemoryObjectStore.unversioned(clock);
  }

  /**
   * An in-memory store that keeps every version of every object, as an S3 bucket with versioning
   * enabled: each write returns a version id, and a delete leaves older versions readable.
   *
   * @param clock gives the objects' LastModified times and the server date the store reports
   * @return a new, empty, versioned store
   */
  public static ObjectStore inMemoryVersioned(Clock clock) {
    return InMemoryObjectStore.versioned(clock);
  }
}
