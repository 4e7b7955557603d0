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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A store in this process's memory, for tests and caches. Buckets spring into being on first use.
 * Every operation runs under its bucket's lock and completes before it returns, so preconditions
 * are atomic. LastModified and the server date come from the given clock, in milliseconds.
 *
 * <p>Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {

  // Versions are never compared or hashed, so the array's identity equality does not matter.
  @SuppressWarnings("ArrayRecordComponent")
  private record Version(
      @Nullable String versionId, byte[] body, String etag, Instant lastModified) {
    ObjectMetadata metadata(String key) {
      return new ObjectMetadata(key, etag, lastModified, body.length, versionId);
    }
  }

  /** A key's current version (null after a delete in a versioned bucket) and its history. */
  private static final class Entry {
    @Nullable Version current;
    final Map<String, Version> history = new HashMap<>();
  }

  private final Clock clock;
  private final boolean versioned;
  private final Map<String, NavigableMap<String, Entry>> buckets = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private InMemoryObjectStore(Clock clock, boolean versioned) {
    this.clock = clock;
    this.versioned = versioned;
  }

  /** An unversioned store. */
  public static InMemoryObjectStore unversioned(Clock clock) {
    return new InMemoryObjectStore(clock, false);
  }

  /** A store whose buckets keep every version, as S3 with versioning enabled. */
  public static InMemoryObjectStore versioned(Clock clock) {
    return new InMemoryObjectStore(clock, true);
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    ObjectKeys.requireValidKey(key);
    return run(
        bucket,
        entries -> {
          Instant now = now();
          Entry entry = entries.get(key);
          Version version = null;
          if (entry != null) {
            version =
                options.versionId() == null
                    ? entry.current
                    : entry.history.get(options.versionId());
          }
          if (version == null) {
            return new GetResult.NotFound(now);
          }
          if (options.ifNoneMatch() != null && options.ifNoneMatch().equals(version.etag())) {
            return new GetResult.NotModified(now);
          }
          return new GetResult.Found(
              new StoredObject(version.metadata(key), version.body().clone()), now);
        });
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    ObjectKeys.requireValidKey(key);
    byte[] copy = body.clone();
    String etag = Md5.hex(copy);
    return run(
        bucket,
        entries -> {
          Instant now = now();
          Entry entry = entries.get(key);
          Version current = entry == null ? null : entry.current;
          if ((options.requireAbsent() && current != null)
              || (options.ifMatch() != null
                  && (current == null || !options.ifMatch().equals(current.etag())))) {
            return new PutOutcome.PreconditionFailed(now);
          }
          String versionId = versioned ? UUID.randomUUID().toString() : null;
          Version version = new Version(versionId, copy, etag, now);
          Entry target = entries.computeIfAbsent(key, k -> new Entry());
          target.current = version;
          if (versionId != null) {
            target.history.put(versionId, version);
          }
          return new PutOutcome.Written(etag, versionId, now);
        });
  }

  /**
   * Loads an object as it was recorded elsewhere (a fixture of another client's bucket): with its
   * own version id and LastModified. It becomes the latest version; a null body records a delete
   * marker. Restore in the order the versions were written.
   */
  public void restore(
      String bucket,
      String key,
      byte @Nullable [] body,
      @Nullable String versionId,
      Instant lastModified) {
    ObjectKeys.requireValidKey(key);
    // run() completes at once; join() hands its failure (a closed store) to the caller.
    run(
            bucket,
            entries -> {
              Entry entry = entries.computeIfAbsent(key, k -> new Entry());
              if (body == null) {
                entry.current = null;
                return null;
              }
              Version version = new Version(versionId, body.clone(), Md5.hex(body), lastModified);
              entry.current = version;
              if (versionId != null) {
                entry.history.put(versionId, version);
              }
              return null;
            })
        .join();
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    ObjectKeys.requireValidKey(key);
    return run(
        bucket,
        entries -> {
          Entry entry = entries.get(key);
          return entry == null || entry.current == null
              ? Optional.empty()
              : Optional.of(entry.current.metadata(key));
        });
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    ObjectKeys.requireValidKey(key);
    return run(
        bucket,
        entries -> {
          if (versioned) {
            Entry entry = entries.get(key);
            if (entry != null) {
              entry.current = null;
            }
          } else {
            entries.remove(key);
          }
          return null;
        });
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return run(
        bucket,
        entries -> {
          String after =
              request.continuationToken() != null
                  ? request.continuationToken()
                  : request.startAfter();
          NavigableMap<String, Entry> tail =
              after == null ? entries : entries.tailMap(after, false);
          List<ObjectMetadata> page = new ArrayList<>();
          boolean more = false;
          for (Map.Entry<String, Entry> e : tail.entrySet()) {
            if (Utf8Order.INSTANCE.compare(e.getKey(), request.prefix()) > 0
                && !e.getKey().startsWith(request.prefix())) {
              break;
            }
            Version current = e.getValue().current;
            if (current == null || !e.getKey().startsWith(request.prefix())) {
              continue;
            }
            if (page.size() == request.maxKeys()) {
              more = true;
              break;
            }
            ObjectMetadata m = current.metadata(e.getKey());
            page.add(new ObjectMetadata(m.key(), m.etag(), m.lastModified(), m.size(), null));
          }
          String token = more ? page.get(page.size() - 1).key() : null;
          return new ListPage(page, token, now());
        });
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return versioned ? "in-memory store (versioned)" : "in-memory store";
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  private interface BucketAction<T> {
    // Nullable because actions for a CompletableFuture<Void> return null; NullAway's standard
    // mode (all JDK 17 allows) cannot express <T extends @Nullable Object>.
    @Nullable T apply(NavigableMap<String, Entry> entries);
  }

  private <T> CompletableFuture<T> run(String bucket, BucketAction<T> action) {
    ObjectKeys.requireValidBucket(bucket);
    if (closed) {
      return CompletableFuture.failedFuture(
          new ObjectStoreException(ObjectStoreException.Kind.CLOSED, this + " is closed", null));
    }
    NavigableMap<String, Entry> entries =
        buckets.computeIfAbsent(bucket, b -> new TreeMap<>(Utf8Order.INSTANCE));
    synchronized (entries) {
      return CompletableFuture.completedFuture(action.apply(entries));
    }
  }
}
