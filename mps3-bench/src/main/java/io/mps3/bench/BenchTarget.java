package io.mps3.bench;

import io.mps3.store.CountingObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.S3MockServer;
import io.mps3.testkit.S3ProxyServer;
import io.mps3.testkit.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One store under measurement: a counting store over it, the bucket to use, and whatever must be
 * stopped or deleted afterwards (a server, a temporary directory). Closing it releases all of it.
 *
 * <p>S3 stores are built with one attempt per call, so that a retry can never hide a request: each
 * counted call is exactly one HTTP request, and a failed one aborts the run.
 *
 * <p>Not thread-safe.
 */
final class BenchTarget implements AutoCloseable {

  /** The bucket every target uses. */
  static final String BUCKET = "mps3-bench";

  private final String name;
  private final CountingObjectStore store;
  private final Resources resources;

  /** What a target must release besides its store. */
  @FunctionalInterface
  private interface Resources {
    void close() throws IOException;
  }

  private BenchTarget(String name, CountingObjectStore store, Resources resources) {
    this.name = name;
    this.store = store;
    this.resources = resources;
  }

  /** A local directory store in a new temporary directory, deleted on close. */
  static BenchTarget localDirectory() {
    try {
      Path root = Files.createTempDirectory("mps3-bench-");
      return new BenchTarget(
          "local directory",
          CountingObjectStore.wrap(ObjectStores.localDirectory(root)),
          () -> deleteTree(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /** S3Proxy over its in-memory back end, in this JVM. */
  static BenchTarget s3Proxy() {
    return s3(S3ProxyServer.startTransient());
  }

  /** Adobe S3Mock as a child process. */
  static BenchTarget s3Mock() {
    return s3(S3MockServer.start());
  }

  private static BenchTarget s3(S3Server server) {
    try {
      S3ObjectStore store = server.storeBuilder().disableRetries().build();
      store.createBucket(BUCKET).join();
      return new BenchTarget(server.name(), CountingObjectStore.wrap(store), server::close);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The name printed in reports. */
  String name() {
    return name;
  }

  /** The counting store over the target's store. */
  CountingObjectStore store() {
    return store;
  }

  @Override
  public void close() throws IOException {
    try {
      store.close();
    } finally {
      resources.close();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
