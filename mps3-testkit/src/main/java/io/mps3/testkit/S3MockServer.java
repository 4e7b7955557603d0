package io.mps3.testkit;

import io.mps3.store.S3ObjectStore;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Adobe S3Mock 5.2 as a child process on 127.0.0.1 and free ports, its data in a temporary
 * directory. S3Mock has versioning but checks no signatures, and its conditional writes are not
 * atomic under racing writers.
 *
 * <p>The executable jar comes from the system property {@code mps3.s3mock.jar} (the build sets it),
 * else from the local Maven repository. Both of its HTTP connectors are bound to loopback: the
 * second one has no property for its address, so a small Spring bean definition sets it.
 *
 * <p>Thread-safe.
 */
public final class S3MockServer implements S3Server {

  /** The S3Mock version the build fetches. */
  public static final String VERSION = "5.2.0";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private static final String LOOPBACK_CONNECTOR =
      "<beans xmlns=\"http://www.springframework.org/schema/beans\""
          + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
          + " xsi:schemaLocation=\"http://www.springframework.org/schema/beans"
          + " https://www.springframework.org/schema/beans/spring-beans.xsd\">\n"
          + "  <bean id=\"mps3LoopbackConnector\""
          + " class=\"org.springframework.beans.factory.config.MethodInvokingBean\""
          + " lazy-init=\"false\">\n"
          + "    <property name=\"targetObject\" ref=\"httpConnector\"/>\n"
          + "    <property name=\"targetMethod\" value=\"setProperty\"/>\n"
          + "    <property name=\"arguments\"><list><value>address</value>"
          + "<value>127.0.0.1</value></list></property>\n"
          + "  </bean>\n"
          + "</beans>\n";

  private static @Nullable S3MockServer shared;

  private final Process process;
  private final Path directory;
  private final int port;

  private S3MockServer(Process process, Path directory, int port) {
    this.process = process;
    this.directory = directory;
    this.port = port;
  }

  /** The S3Mock shared by every caller in this JVM, started on first use. */
  public static synchronized S3MockServer shared() {
    if (shared == null) {
      S3MockServer started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "s3mock-stop"));
      shared = started;
    }
    return shared;
  }

  /**
   * Starts S3Mock and waits until it answers.
   *
   * @throws IllegalStateException with the tail of its log when it does not start
   */
  public static S3MockServer start() {
    Path jar = jar();
    try {
      Path directory = Files.createTempDirectory("mps3-s3mock-");
      Path beans = directory.resolve("loopback-connector.xml");
      Files.writeString(beans, LOOPBACK_CONNECTOR, StandardCharsets.UTF_8);
      Path log = directory.resolve("s3mock.log");
      int port = freePort();
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Xss512k",
              "-Dspring.main.lazy-initialization=false",
              "-Dserver.address=127.0.0.1",
              "-Dserver.ssl.enabled=false",
              "-Dserver.port=" + port,
              "-Dhttp.port=" + freePort(),
              "-Dspring.main.sources=" + beans.toUri(),
              "-Dcom.adobe.testing.s3mock.store.root=" + directory.resolve("store"),
              "-Dlogging.level.root=WARN",
              "-Dspring.main.banner-mode=off",
              "-jar",
              jar.toString());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      S3MockServer server = new S3MockServer(process, directory, port);
      try {
        server.awaitReady(log);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start S3Mock from " + jar + ": " + e, e);
    }
  }

  private static Path jar() {
    String configured = System.getProperty("mps3.s3mock.jar");
    Path jar =
        configured != null
            ? Path.of(configured)
            : Path.of(
                System.getProperty("user.home"),
                ".m2/repository/com/adobe/testing/s3mock",
                VERSION,
                "s3mock-" + VERSION + "-exec.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Mock's executable jar is not at "
              + jar
              + "; run the tests through Maven (mvn verify), which fetches it");
    }
    return jar;
  }

  private void awaitReady(Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest ping =
        HttpRequest.newBuilder(endpoint().resolve("/")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "S3Mock exited with code "
                + process.exitValue()
                + " before it was ready; log:\n"
                + tail(log));
      }
      try {
        if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // Not listening yet.
      } catch (IOException e) {
        // Starting up; try again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while S3Mock started", e);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while S3Mock started", e);
      }
    }
    throw new IllegalStateException(
        "S3Mock did not answer within " + READY_TIMEOUT.toSeconds() + " s; log:\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public S3ObjectStore.Builder storeBuilder() {
    // S3Mock checks no signature; the client signs anyway, as it does everywhere.
    return S3ObjectStore.builder().endpoint(endpoint()).credentials("s3mock", "s3mock");
  }

  @Override
  public String name() {
    return "S3Mock " + VERSION;
  }

  /**
   * Stops S3Mock at once (SIGKILL; its store is thrown away, so an orderly stop buys nothing) and
   * deletes its directory.
   */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
