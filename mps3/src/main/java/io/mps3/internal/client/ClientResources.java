package io.mps3.internal.client;

import io.mps3.Mps3Config;
import io.mps3.internal.content.ContentCache;
import io.mps3.internal.manifest.Deliveries;
import io.mps3.internal.manifest.Manifests;
import io.mps3.internal.metrics.Metrics;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client opens and closes: its store (when the configuration names a local directory; a
 * store given to the configuration belongs to the caller), its scheduler, its delivery thread, and
 * its content cache; and its metrics. A configuration opens nothing, so two clients of one
 * configuration share nothing. Thread-safe.
 */
public final class ClientResources {

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  /** How many content reads start at once: as many run at once with a store that blocks. */
  private static final int READ_THREADS = 4;

  private static final SecureRandom RANDOM = new SecureRandom();

  public final String session = newSession();
  public final ObjectStore store;
  private final boolean storeOwned;
  public final ScheduledExecutorService scheduler;
  public final Deliveries deliveries;
  public final ContentCache contents;
  public final Metrics metrics;
  private final ClientLevels levels;
  private final ExecutorService deliveryThread;

  /**
   * Where a content object's read starts (design 0005): its callers may hold a manifest's lock, and
   * a store may run a call on the thread that makes it. Shut down, not stopped, at close: a read
   * queued before still starts, and fails on the closed store or answers, rather than never.
   */
  public final ExecutorService reads;

  private final AtomicBoolean closed = new AtomicBoolean();

  ClientResources(Mps3Config config) {
    int id = CLIENTS.incrementAndGet();
    this.storeOwned = config.localDirectory().isPresent();
    this.store =
        config
            .localDirectory()
            .map(ObjectStores::localDirectory)
            .orElseGet(() -> config.store().orElseThrow());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("mps3-poll-" + id));
    this.deliveryThread = Executors.newSingleThreadExecutor(threads("mps3-deliver-" + id));
    ThreadPoolExecutor readPool =
        new ThreadPoolExecutor(
            READ_THREADS,
            READ_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads("mps3-read-" + id));
    readPool.allowCoreThreadTimeOut(true); // an idle client keeps no read threads
    this.reads = readPool;
    this.deliveries =
        new Deliveries(deliveryThread, config.callbackExecutor(), config.objectMapper());
    this.contents = new ContentCache(config.contentCacheBytes());
    this.levels = new ClientLevels(config.protocol());
    this.metrics = Metrics.open(config.metrics(), levels);
  }

  /** The client's manifests exist: its levels read them from now on. */
  void attach(Manifests manifests) {
    levels.attach(manifests);
  }

  /** The one thread factory of the library: daemon threads named after their job. */
  public static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      int n = count.incrementAndGet();
      Thread t = new Thread(r, n == 1 ? name : name + "-" + n);
      t.setDaemon(true);
      return t;
    };
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Marks the client closed; true for the first caller only. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Stops the threads and closes the store when the client opened it. */
  void close() {
    levels.attach(null);
    metrics.closed();
    scheduler.shutdownNow();
    deliveryThread.shutdown();
    reads.shutdown();
    if (storeOwned) {
      store.close();
    }
  }

  private static String newSession() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      out.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return out.toString();
  }
}
