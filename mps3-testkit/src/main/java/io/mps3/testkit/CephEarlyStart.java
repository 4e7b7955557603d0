package io.mps3.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Ceph started by one test JVM of a build for a later one: the testkit's unit-test JVM starts it,
 * and the IT JVM, a minute later, finds it ready instead of waiting for it on the build's longest
 * path (the Ceph counter proof cannot start before Ceph: 15 s on an idle machine, a minute while
 * the other ITs load both cores).
 *
 * <p>{@code -Dmps3.ceph.early=<dir>} names the hand-over directory: {@code owner} (the build's
 * process id, so that a later build never takes an earlier one's leftovers), {@code data} (the
 * script's data directory, which holds its output) and {@code exit} (the script's exit code, once
 * it ended). The JVM that claims the server stops it like one it started itself; if none does (a
 * build that stops before its ITs), the script stops the daemons when the build process ends.
 */
final class CephEarlyStart {

  private static final String PROPERTY = "mps3.ceph.early";

  private CephEarlyStart() {}

  /**
   * Starts Ceph in the background for a later JVM of this build and returns at once; does nothing
   * unless {@code -Dmps3.ceph.early} names a directory. A failure here only means the IT JVM starts
   * Ceph itself.
   */
  static void start() {
    String dir = System.getProperty(PROPERTY, "");
    if (dir.isBlank() || !itsWillRun()) {
      return;
    }
    try {
      Path early = Path.of(dir);
      Files.createDirectories(early);
      for (String name : List.of("owner", "data", "exit")) {
        Files.deleteIfExists(early.resolve(name)); // an earlier build's
      }
      long owner = buildProcess();
      Path data = Files.createTempDirectory("mps3-ceph-");
      Path exit = early.resolve("exit");
      // The exit code is written to a temporary file and renamed: a reader sees all of it or none.
      ProcessBuilder builder =
          CephServer.launch(
              List.of(
                  "bash",
                  "-c",
                  "bash \"$@\"; echo $? >\"$MPS3_CEPH_EXIT.tmp\"; mv \"$MPS3_CEPH_EXIT.tmp\""
                      + " \"$MPS3_CEPH_EXIT\"",
                  "ceph-early",
                  CephServer.script().toString()),
              data);
      builder.environment().put("MPS3_CEPH_OWNER", Long.toString(owner));
      builder.environment().put("MPS3_CEPH_EXIT", exit.toString());
      builder.start();
      Files.writeString(early.resolve("data"), data.toString(), StandardCharsets.UTF_8);
      Files.writeString(early.resolve("owner"), Long.toString(owner), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      System.err.println("Ceph not started early (the ITs start it): " + e);
    }
  }

  /**
   * The Ceph an earlier JVM of this build started, once its script ended, or null if none did.
   *
   * @throws IllegalStateException saying why it did not start
   */
  static @Nullable CephServer claim() {
    String dir = System.getProperty(PROPERTY, "");
    if (dir.isBlank()) {
      return null;
    }
    Path early = Path.of(dir);
    Path ownerFile = early.resolve("owner");
    try {
      if (!Files.isRegularFile(ownerFile)
          || Long.parseLong(Files.readString(ownerFile, StandardCharsets.UTF_8).trim())
              != buildProcess()) {
        return null;
      }
      Files.delete(ownerFile); // claimed: no other JVM takes it
      Path data = Path.of(Files.readString(early.resolve("data"), StandardCharsets.UTF_8).trim());
      Path exit = early.resolve("exit");
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (!Files.isRegularFile(exit)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "Ceph, started early in " + data + ", did not start within 5 minutes");
        }
        Thread.sleep(100); // a file another process writes: polled, like the script polls Ceph
      }
      int exitCode = Integer.parseInt(Files.readString(exit, StandardCharsets.UTF_8).trim());
      return CephServer.started(data, CephServer.script(), exitCode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Ceph started", e);
    }
  }

  /** False when the build was told to skip the ITs, which are the only users of Ceph. */
  private static boolean itsWillRun() {
    return !System.getProperty("mps3.it.test", "").equalsIgnoreCase("NONE")
        && !System.getProperty("mps3.skip.its", "").equalsIgnoreCase("true");
  }

  /**
   * The build's process: the nearest ancestor that is a JVM (Maven; the test JVMs are its children
   * or grandchildren), or the parent if none is.
   */
  private static long buildProcess() {
    Optional<ProcessHandle> ancestor = ProcessHandle.current().parent();
    while (ancestor.isPresent()) {
      ProcessHandle process = ancestor.get();
      if (process.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
        return process.pid();
      }
      ancestor = process.parent();
    }
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }
}
