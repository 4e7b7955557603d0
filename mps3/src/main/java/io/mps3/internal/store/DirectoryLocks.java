package io.mps3.internal.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Striped write locks on one directory, held across threads and across processes.
 *
 * <p>Each stripe is a one-byte region of a lock file, locked with {@link FileChannel#lock} (POSIX
 * record locks, or Windows byte-range locks), so other processes that use the same directory
 * exclude each other. Within one JVM such locks cannot nest, and closing any channel of a file
 * drops every lock the process holds on it, so all stores of a JVM that open the same directory
 * share one channel from a registry, and a stripe's {@link ReentrantLock} is taken before its file
 * region. Lock order: the in-JVM lock, then the region; never two stripes at once.
 */
final class DirectoryLocks {

  private static final int STRIPES = 64;
  private static final Map<Path, DirectoryLocks> REGISTRY = new HashMap<>();

  private final Path lockFile;
  private final FileChannel channel;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private int users;

  private DirectoryLocks(Path lockFile, FileChannel channel) {
    this.lockFile = lockFile;
    this.channel = channel;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** The locks of a lock file, shared by every caller in this JVM until each has released it. */
  static DirectoryLocks acquire(Path lockFile) throws IOException {
    Path real = lockFile.toAbsolutePath().normalize();
    synchronized (REGISTRY) {
      DirectoryLocks locks = REGISTRY.get(real);
      if (locks == null) {
        FileChannel channel =
            FileChannel.open(real, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        locks = new DirectoryLocks(real, channel);
        REGISTRY.put(real, locks);
      }
      locks.users++;
      return locks;
    }
  }

  /** Gives back what {@link #acquire} gave; the last release closes the lock file. */
  void release() {
    synchronized (REGISTRY) {
      if (--users == 0) {
        REGISTRY.remove(lockFile);
        try {
          channel.close();
        } catch (IOException ignored) {
          // Nothing is held any more; the descriptor goes with the process at worst.
        }
      }
    }
  }

  /** Runs an action while holding the stripe of {@code key}, in this JVM and across processes. */
  <T> @Nullable T withLock(String key, IoAction<T> action) throws IOException {
    int stripe = Math.floorMod(key.hashCode(), STRIPES);
    ReentrantLock local = stripes[stripe];
    local.lock();
    try {
      FileLock region = channel.lock(stripe, 1, false);
      try {
        return action.run();
      } finally {
        region.release();
      }
    } finally {
      local.unlock();
    }
  }
}
