package io.mps3.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child process of {@link S3ProxyProcess}: S3Proxy over a directory on a given port, checking
 * signatures, until the process is killed. Arguments: {@code PORT DIRECTORY}. Prints {@value
 * #READY} on standard output once it answers requests.
 */
public final class S3ProxyMain {

  /** The line printed once the server listens. */
  public static final String READY = "ready";

  private S3ProxyMain() {}

  /** Starts the server, prints {@value #READY}, and waits to be killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    S3ProxyServer.startFilesystem(Path.of(args[1]), port);
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await(); // Jetty's threads keep serving; this one only waits
  }
}
