package io.mps3.cli;

import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.store.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/** Making a bucket: {@code mps3 mb} and {@code --create-bucket}. */
final class Buckets {

  private Buckets() {}

  /**
   * Makes the bucket, succeeding when it exists already: on S3 a CreateBucket (a bucket this
   * account owns already is no failure), on the local directory its directory (which writes would
   * create anyway).
   */
  static void create(StoreOptions options, ObjectStore store, String bucket) {
    try {
      ObjectKeys.requireValidBucket(bucket);
    } catch (IllegalArgumentException e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
    if (store instanceof S3ObjectStore s3) {
      try {
        s3.createBucket(bucket).join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof ObjectStoreException failure) {
          throw failure;
        }
        throw e;
      }
      return;
    }
    Path dir = options.dir.resolve(bucket);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a failure is a missing bucket, anywhere in its causes: the client reports it as an
   * {@link io.mps3.Mps3Exception} caused by the store's {@link ObjectStoreException}.
   */
  static boolean isMissingBucket(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ObjectStoreException e
          && e.kind() == ObjectStoreException.Kind.NO_SUCH_BUCKET) {
        return true;
      }
    }
    return false;
  }
}
