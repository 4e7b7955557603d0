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
 * yet, at the moment its parent says so. Arguments: {@code ENDPOINT BUCKET NAME} (S3Proxy's test
 * credentials). Prints {@code waiting}, reads a line from standard input, then opens the client and
 * puts {@code started/NAME}; prints {@code started NAME} and exits 0, or prints {@code failed KIND:
 * MESSAGE} and exits 1.
 */
public final class StrictFirstUseWorker {

  private StrictFirstUseWorker() {}

  /** See the class comment. */
  public static void main(String[] args) throws IOException {
    String name = args[2];
    try (S3ObjectStore store =
        S3ObjectStore.builder()
            .endpoint(URI.create(args[0]))
            .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
            .build()) {
      System.out.println("waiting");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      try (StrictClient client =
          StrictClient.create(
              Mps3Config.builder().store(store).bucket(args[1]).strictProtocol().build())) {
        client.put("started/" + name, name);
        System.out.println("started " + name);
      } catch (Mps3Exception e) {
        System.out.println("failed " + e.kind() + ": " + e.getMessage());
        System.out.flush();
        System.exit(1);
      }
    }
  }
}
