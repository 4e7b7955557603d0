package io.mps3.testkit.strict;

import io.mps3.Mps3Config;
import io.mps3.StrictClient;
import io.mps3.store.S3ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A child process of {@link StrictFirstUseS3ProxyIT}: opens a strict client on a bucket nobody has
 * used yet, at the moment its parent says, writes a key and reads it back. Arguments: {@code
 * <bucket> <key>}, with the S3 endpoint and credentials in the {@code AWS_*} environment variables.
 * Prints {@code ready}, waits for a line on its input, then prints {@code started} or fails.
 */
public final class FirstUseWorker {

  private FirstUseWorker() {}

  /** Runs the first use. */
  public static void main(String[] args) throws IOException {
    try (S3ObjectStore store = S3ObjectStore.builder().pathStyle().build();
        StrictClient client =
            StrictClient.create(
                Mps3Config.builder().store(store).bucket(args[0]).strictProtocol().build())) {
      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      client.put(args[1], args[1]);
      if (!client.get(args[1]).isPresent()) {
        throw new IllegalStateException("wrote " + args[1] + " but read nothing");
      }
      System.out.println("started");
    }
  }
}
