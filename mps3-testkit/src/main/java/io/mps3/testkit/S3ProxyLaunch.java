package io.mps3.testkit;

import io.mps3.spi.GetOptions;
import io.mps3.spi.PutOptions;
import io.mps3.store.S3ObjectStore;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How {@link S3ProxyProcess} starts its JVMs: the class path and the options that load S3Proxy's
 * classes from a class-data archive (the JDK's AppCDS) made once, by a training run, for all the
 * restarts of one server.
 *
 * <p>Why: a test restarts one S3Proxy 20 times, and each start loads and verifies the classes of
 * Jetty, jclouds and Guice: 1.6 s of CPU to ready on this machine, 0.75 s from an archive
 * (measured, both with {@link JavaProcess#QUICK_START}). JDK 17 archives no class of a directory,
 * so this needs the testkit in a jar (as in Maven's integration tests, after {@code package}); the
 * child's class path then holds this JVM's jars only, and otherwise every start loads its classes
 * as before. The archive changes how fast S3Proxy starts, never what it does.
 */
record S3ProxyLaunch(String classPath, List<String> options) {

  /** This JVM's class path and no archive. */
  static S3ProxyLaunch plain() {
    return new S3ProxyLaunch(System.getProperty("java.class.path"), List.of());
  }

  /**
   * Makes the archive next to {@code directory} with a training run of S3Proxy that serves a few
   * signed requests and exits normally (the JVM writes the archive as it exits); the plain launch
   * when the testkit is not in a jar or the training run fails (said on standard error).
   */
  static S3ProxyLaunch archived(Path directory) {
    String jars = jarsOnly();
    if (jars == null) {
      return plain();
    }
    Path archive = directory.resolveSibling(directory.getFileName() + "-s3proxy.jsa");
    Path scratch = directory.resolveSibling(directory.getFileName() + "-s3proxy-training");
    // -Xlog: the JVM reports classes it cannot archive on standard output, where the ready line is.
    S3ProxyLaunch dumping =
        new S3ProxyLaunch(jars, List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off"));
    try {
      S3ProxyProcess training = S3ProxyProcess.start(scratch, dumping);
      try (S3ObjectStore store = training.storeBuilder().build()) {
        Futures.await(store.createBucket("training"));
        byte[] body = "training".getBytes(StandardCharsets.UTF_8);
        Futures.await(store.put("training", "k", body, PutOptions.ifAbsent()));
        Futures.await(store.get("training", "k", GetOptions.latest()));
        Futures.await(store.listAll("training", "", null));
      } finally {
        training.stop();
      }
      if (Files.size(archive) > 0) {
        return new S3ProxyLaunch(
            jars, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"));
      }
      System.err.println("S3Proxy class-data archive is empty: " + archive);
    } catch (IOException | RuntimeException e) {
      System.err.println("S3Proxy class-data archive not made, restarts load classes: " + e);
    }
    return plain();
  }

  /** The command line of a server on {@code port} over {@code directory}. */
  List<String> command(int port, Path directory) {
    List<String> command =
        JavaProcess.command(S3ProxyMain.class, classPath, options, List.of("-Xmx256m"));
    command.add(Integer.toString(port));
    command.add(directory.toString());
    return command;
  }

  /** The jars of this JVM's class path, or null when the testkit's classes are in a directory. */
  private static @Nullable String jarsOnly() {
    try {
      Path testkit =
          Path.of(S3ProxyMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(testkit)) {
        return null;
      }
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
    List<String> jars =
        Pattern.compile(File.pathSeparator, Pattern.LITERAL)
            .splitAsStream(System.getProperty("java.class.path"))
            .filter(entry -> Files.isRegularFile(Path.of(entry)))
            .toList();
    return String.join(File.pathSeparator, jars);
  }
}
