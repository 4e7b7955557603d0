package io.mps3.testkit.strict;

import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import io.mps3.store.S3ObjectStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process of {@link CounterProof}: increments a counter through transactions. Arguments:
 * {@code local <dir> <bucket> <manifest> <n>} or {@code s3 - <bucket> <manifest> <n>}, with the S3
 * endpoint and credentials in the {@code AWS_*} environment variables.
 */
public final class CounterWorker {

  private CounterWorker() {}

  /** Runs the increments and prints how many it made. */
  public static void main(String[] args) {
    ObjectStore store =
        args[0].equals("local")
            ? ObjectStores.localDirectory(Path.of(args[1]))
            : S3ObjectStore.builder().pathStyle().build();
    int n = Integer.parseInt(args[4]);
    int most = 0;
    try (StrictClient client =
        StrictClient.create(
            Mps3Config.builder()
                .store(store)
                .bucket(args[2])
                .manifest(args[3])
                .strictProtocol()
                .transactionAttempts(100000)
                .build())) {
      for (int i = 0; i < n; i++) {
        AtomicInteger runs = new AtomicInteger();
        client.transaction(
            tx -> {
              runs.incrementAndGet();
              return CounterProof.increment(tx);
            });
        most = Math.max(most, runs.get());
      }
    } finally {
      store.close();
    }
    System.out.println("incremented " + n + "; most runs of one transaction: " + most);
  }
}
