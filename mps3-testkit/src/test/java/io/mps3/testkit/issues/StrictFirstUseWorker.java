package io.mps3.testkit.issues;

import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.StrictClient;
import io.mps3.store.S3ObjectStore;
import io.mps3.testkit.S3ProxyServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A child process of {@link StrictFirstUseRaceIT}: opens a strict client on a bucket no client used
 * yet, at the moment its parent says so, once per bucket it is given. Arguments: {@code ENDPOINT
 * NAME} (S3Proxy's test credentials). Prints {@code waiting}, then for each line {@code BUCKET}
 * read from standard input opens a client of that bucket, puts {@code started/NAME} and prints
 * {@code started BUCKET}, or prints {@code failed BUCKET KIND: MESSAGE}; ends at the end of its
 * input.
 */
public final class StrictFirstUseWorker {

  private StrictFirstUseWorker() {}

  /** See the class comment. */
  public static void main(String[] args) throws IOException {
    String name = args[1];
    try (S3ObjectStore store =
        S3ObjectStore.builder()
            .endpoint(URI.create(args[0]))
            .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
            .build()) {
      System.out.println("waiting");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String bucket;
      while ((bucket = in.readLine()) != null) {
        try (StrictClient client =
            StrictClient.create(
                Mps3Config.builder().store(store).bucket(bucket).strictProtocol().build())) {
          client.put("started/" + name, name);
          System.out.println("started " + bucket);
        } catch (Mps3Exception e) {
          System.out.println("failed " + bucket + " " + e.kind() + ": " + e.getMessage());
        }
        System.out.flush();
      }
    }
  }
}
