package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import picocli.CommandLine.Option;

/** {@code --create-bucket}, for the commands that write. */
final class CreateBucketOption {

  @Option(
      names = "--create-bucket",
      description =
          "Make the bucket first if it does not exist (as mps3 mb does), so a first write to a new"
              + " S3 server does not fail with NoSuchBucket.")
  boolean createBucket;

  /** Makes the bucket when asked to. */
  void apply(StoreOptions options, ObjectStore store) {
    if (createBucket) {
      Buckets.create(options, store, options.bucket);
    }
  }
}
