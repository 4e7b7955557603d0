package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mps3 mb BUCKET}: makes a bucket. */
@Command(
    mixinStandardHelpOptions = true,
    name = "mb",
    description = {
      "Makes a bucket.",
      "On an S3 endpoint it sends a CreateBucket request; on the local directory it makes the"
          + " bucket's directory. A bucket that exists already (and, on S3, that this account owns) is"
          + " no failure. Prints nothing."
    },
    footer = {
      "",
      "Examples:",
      "  mps3 mb my-bucket --endpoint http://localhost:9000",
      "  mps3 mb my-bucket && mps3 put k 1 --bucket my-bucket"
    })
final class MakeBucket implements Callable<Integer> {

  /** The options of this command that name a bucket or a manifest: BUCKET does here. */
  static final String[] NOT_HERE = {"--bucket", "--manifest", "--protocol", "--strict"};

  @Mixin StoreOptions options = new StoreOptions();

  @Parameters(index = "0", paramLabel = "BUCKET", description = "The bucket's name.")
  String bucket = "";

  @Override
  public Integer call() {
    try (ObjectStore store = options.openStore()) {
      Buckets.create(options, store, bucket);
    }
    return 0;
  }
}
