package io.mps3.internal.store;

import io.mps3.internal.util.Md5;
import io.mps3.internal.util.Utf8Order;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.spi.StoredObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded default: buckets are directories under a root, objects are plain files holding
 * exactly the object's bytes, so a person can read and repair them.
 *
 * <p>Layout: {@code <root>/<bucket>/<file name of the key>} (see {@link FileNames}); the store's
 * own files live in {@code <root>/<bucket>/.mps3/}: {@code lock} (write locks) and {@code tmp/}
 * (writes in progress). A write goes to a temporary file, is flushed to disk, then renamed over the
 * target in one atomic step, so a reader sees the old or the new object and a crash leaves no
 * half-written object. Writes and deletes of a key hold its stripe of {@link DirectoryLocks}, so
 * preconditions stay atomic when several processes share the directory. Reads take no lock: they
 * check that the file they read is still the one at the path.
 *
 * <p>ETag: the MD5 of the body, computed when read (nothing is stored beside the object).
 * LastModified: the file's modification time, set from the store's clock in milliseconds when the
 * object is written. The store keeps no versions.
 *
 * <p>Thread-safe. Blocking file work runs on the store's own daemon threads.
 */
public final class LocalDirectoryObjectStore implements ObjectStore {

  private static final String INTERNAL_DIR = ".mps3";
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Path root;
  private final Clock clock;
  private final ExecutorService io;
  private volatile boolean closed;
  private final Map<String, DirectoryLocks> locks = new ConcurrentHashMap<>();

  private LocalDirectoryObjectStore(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.io =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "mps3-local-" + pool + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A store rooted at a directory, created if missing.
   *
   * @throws ObjectStoreException when the directory cannot be created or is not a directory
   */
  public static LocalDirectoryObjectStore open(Path root, Clock clock) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(clock, "clock");
    Path absolute = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new ObjectStoreException(
          ObjectStoreException.Kind.INVALID_REQUEST,
          "cannot use " + absolute + " as a local store directory: " + e,
          e);
    }
    return new LocalDirectoryObjectStore(absolute, clock);
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    Path file = fileOf(bucket, key);
    if (options.versionId() != null) {
      return CompletableFuture.failedFuture(
          new ObjectStoreException(
              ObjectStoreException.Kind.UNSUPPORTED,
              this + " keeps no versions: cannot read version " + options.versionId(),
              null));
    }
    return submit(
        () -> {
          Instant now = now();
          LocalFiles.Snapshot snapshot = LocalFiles.read(file);
          if (snapshot == null) {
            return new GetResult.NotFound(now);
          }
          String etag = Md5.hex(snapshot.body);
          if (etag.equals(options.ifNoneMatch())) {
            return new GetResult.NotModified(now);
          }
          ObjectMetadata metadata =
              new ObjectMetadata(key, etag, snapshot.lastModified, snapshot.body.length, null);
          return new GetResult.Found(new StoredObject(metadata, snapshot.body), now);
        });
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    Path file = fileOf(bucket, key);
    byte[] copy = body.clone();
    return submit(
        () -> {
          String etag = Md5.hex(copy);
          Path tmp = writeTemp(bucket, copy);
          try {
            // The explicit type: NullAway 0.14.3 crashes on the inferred intersection type.
            return locksOf(bucket)
                .<PutOutcome>withLock(
                    key,
                    () -> {
                      Instant now = now();
                      if (options.conditional() && !LocalFiles.preconditionHolds(file, options)) {
                        return new PutOutcome.PreconditionFailed(now);
                      }
                      Files.setLastModifiedTime(tmp, FileTime.fromMillis(now.toEpochMilli()));
                      Files.createDirectories(file.getParent());
                      LocalFiles.moveAtomically(tmp, file);
                      return new PutOutcome.Written(etag, null, now);
                    });
          } finally {
            Files.deleteIfExists(tmp);
          }
        });
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    Path file = fileOf(bucket, key);
    return submit(
        () -> {
          LocalFiles.Snapshot snapshot = LocalFiles.read(file);
          return snapshot == null
              ? Optional.empty()
              : Optional.of(
                  new ObjectMetadata(
                      key,
                      Md5.hex(snapshot.body),
                      snapshot.lastModified,
                      snapshot.body.length,
                      null));
        });
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    Path file = fileOf(bucket, key);
    return submit(
        () ->
            locksOf(bucket)
                .withLock(
                    key,
                    () -> {
                      Files.deleteIfExists(file);
                      return null;
                    }));
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    Path dir = bucketDir(bucket);
    return submit(
        () -> {
          List<LocalFiles.Listed> keys = new ArrayList<>();
          LocalFiles.collect(dir, new ArrayList<>(), request.prefix(), keys);
          keys.sort((a, b) -> Utf8Order.INSTANCE.compare(a.key(), b.key()));
          String after =
              request.continuationToken() != null
                  ? request.continuationToken()
                  : request.startAfter();
          List<ObjectMetadata> page = new ArrayList<>();
          boolean more = false;
          for (LocalFiles.Listed listed : keys) {
            if (after != null && Utf8Order.INSTANCE.compare(listed.key(), after) <= 0) {
              continue;
            }
            if (page.size() == request.maxKeys()) {
              more = true;
              break;
            }
            LocalFiles.Snapshot snapshot = LocalFiles.read(listed.file());
            if (snapshot != null) {
              page.add(
                  new ObjectMetadata(
                      listed.key(),
                      Md5.hex(snapshot.body),
                      snapshot.lastModified,
                      snapshot.body.length,
                      null));
            }
          }
          String token = more ? page.get(page.size() - 1).key() : null;
          return new ListPage(page, token, now());
        });
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    io.shutdown();
    locks.values().forEach(DirectoryLocks::release);
    locks.clear();
  }

  @Override
  public String toString() {
    return "local directory store at " + root;
  }

  // ---------------------------------------------------------------------------------------------

  private Path bucketDir(String bucket) {
    return root.resolve(ObjectKeys.requireValidBucket(bucket));
  }

  private Path fileOf(String bucket, String key) {
    ObjectKeys.requireValidKey(key);
    Path file = bucketDir(bucket);
    for (String segment : FileNames.encode(key)) {
      file = file.resolve(segment);
    }
    return file;
  }

  private DirectoryLocks locksOf(String bucket) throws IOException {
    DirectoryLocks existing = locks.get(bucket);
    if (existing != null) {
      return existing;
    }
    synchronized (locks) {
      existing = locks.get(bucket);
      if (existing == null) {
        Path internal = bucketDir(bucket).resolve(INTERNAL_DIR);
        Files.createDirectories(internal);
        existing = DirectoryLocks.acquire(internal.resolve("lock"));
        locks.put(bucket, existing);
      }
      return existing;
    }
  }

  private Path writeTemp(String bucket, byte[] body) throws IOException {
    Path tmpDir = bucketDir(bucket).resolve(INTERNAL_DIR).resolve("tmp");
    Files.createDirectories(tmpDir);
    Path tmp = tmpDir.resolve(UUID.randomUUID().toString());
    try (FileChannel channel =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(body);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    return tmp;
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  private <T> CompletableFuture<T> submit(IoAction<T> work) {
    if (closed) {
      return closedFuture();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      io.execute(
          () -> {
            try {
              result.complete(work.run());
            } catch (IOException | RuntimeException e) {
              result.completeExceptionally(
                  e instanceof ObjectStoreException
                      ? e
                      : new ObjectStoreException(
                          ObjectStoreException.Kind.INTERNAL,
                          "local directory store at " + root + ": " + e,
                          e));
            }
          });
    } catch (RejectedExecutionException e) {
      return closedFuture();
    }
    return result;
  }

  private <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(
        new ObjectStoreException(ObjectStoreException.Kind.CLOSED, this + " is closed", null));
  }
}
