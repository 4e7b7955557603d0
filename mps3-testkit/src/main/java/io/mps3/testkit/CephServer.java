package io.mps3.testkit;

import io.mps3.store.S3ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Ceph radosgw, the production S3 server of Ceph, from Debian packages: a one-node cluster in RAM
 * on 127.0.0.1, started by {@code tools/ceph-rgw.sh} (which installs the packages with apt-get the
 * first time, so it needs root). SigV4 checked, atomic {@code If-None-Match: *}, and an {@code
 * If-Match} that refuses even the current ETag.
 */
public final class CephServer implements S3Server {

  /** The access key the script creates. */
  public static final String ACCESS_KEY = "mps3-ceph-key";

  /** The secret key the script creates. */
  public static final String SECRET_KEY = "mps3-ceph-secret";

  private static @Nullable CephServer shared;

  /** Why Ceph could not start, once it failed: later callers get a new exception saying so. */
  private static @Nullable String unavailable;

  private final URI endpoint;
  private final List<Long> pids;
  private final Path directory;

  private CephServer(URI endpoint, List<Long> pids, Path directory) {
    this.endpoint = endpoint;
    this.pids = pids;
    this.directory = directory;
  }

  /**
   * The Ceph shared by every caller in this JVM, started on first use.
   *
   * @throws IllegalStateException saying why Ceph cannot run here (no root, no package)
   */
  public static synchronized CephServer shared() {
    if (unavailable != null) {
      throw new IllegalStateException(unavailable);
    }
    if (shared == null) {
      try {
        CephServer early = CephEarlyStart.claim();
        CephServer started = early != null ? early : start();
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ceph-stop"));
        shared = started;
      } catch (IllegalStateException e) {
        unavailable = String.valueOf(e.getMessage());
        throw e;
      }
    }
    return shared;
  }

  /**
   * Starts the shared Ceph on a daemon thread and returns at once, so that its start-up (15 s, and
   * 40 s more to install it the first time) overlaps other tests; {@link #shared()} waits for it
   * and throws what it threw.
   */
  public static void startSharedInBackground() {
    Thread starter =
        new Thread(
            () -> {
              try {
                shared();
              } catch (RuntimeException e) {
                // shared() keeps the failure and throws it to every test that needs Ceph.
              }
            },
            "ceph-start");
    starter.setDaemon(true);
    starter.start();
  }

  /** Starts a one-node Ceph cluster with radosgw; takes about 15 s (plus 40 s to install). */
  public static CephServer start() {
    Path script = script();
    try {
      Path directory = Files.createTempDirectory("mps3-ceph-");
      Process process = launch(List.of("bash", script.toString()), directory).start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("Ceph did not start within 5 minutes");
      }
      return started(directory, script, process.exitValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Ceph started", e);
    }
  }

  /**
   * The server a finished run of the script describes, from its output files in {@code directory}
   * ({@code start.out}, {@code start.err}).
   *
   * @throws IllegalStateException saying why it did not start
   */
  static CephServer started(Path directory, Path script, int exitCode) throws IOException {
    String out = Files.readString(directory.resolve("start.out"), StandardCharsets.UTF_8);
    if (exitCode != 0 || !out.contains("ENDPOINT=")) {
      String err = Files.readString(directory.resolve("start.err"), StandardCharsets.UTF_8);
      throw new IllegalStateException(
          "Ceph radosgw cannot run here ("
              + script
              + " exited with "
              + exitCode
              + "; it needs root for apt-get the first time): "
              + err.substring(Math.max(0, err.length() - 600)));
    }
    List<Long> pids = new ArrayList<>();
    String endpoint = null;
    for (String line : out.lines().toList()) {
      if (line.startsWith("ENDPOINT=")) {
        endpoint = line.substring("ENDPOINT=".length()).split(" ", -1)[0];
      } else if (line.startsWith("PIDS=")) {
        for (String pid : line.substring("PIDS=".length()).trim().split(" ", -1)) {
          pids.add(Long.parseLong(pid));
        }
      }
    }
    return new CephServer(URI.create(endpoint), pids, directory);
  }

  /**
   * The script's command line: {@code command} followed by a free port, the data directory and the
   * keys, its output going to {@code start.out} and {@code start.err} in {@code directory}.
   */
  static ProcessBuilder launch(List<String> command, Path directory) throws IOException {
    List<String> line = new ArrayList<>(command);
    line.addAll(
        List.of(Integer.toString(freePortBlock()), directory.toString(), ACCESS_KEY, SECRET_KEY));
    return new ProcessBuilder(line)
        .redirectError(directory.resolve("start.err").toFile())
        .redirectOutput(directory.resolve("start.out").toFile());
  }

  static Path script() {
    String configured = System.getProperty("mps3.ceph.script");
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("tools/ceph-rgw.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "tools/ceph-rgw.sh not found above " + Path.of("").toAbsolutePath());
  }

  /** A port P with P..P+9 free on loopback (the script uses them all). */
  private static int freePortBlock() throws IOException {
    Random random = new Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + random.nextInt(30_000);
      if (allFree(base, 10)) {
        return base;
      }
    }
    throw new IOException("no block of 10 free ports found on loopback");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public S3ObjectStore.Builder storeBuilder() {
    return S3ObjectStore.builder().endpoint(endpoint).credentials(ACCESS_KEY, SECRET_KEY);
  }

  @Override
  public String name() {
    return "Ceph radosgw";
  }

  /**
   * Stops the daemons at once (SIGKILL) and deletes the cluster: its data lives in RAM and is
   * thrown away, and radosgw's orderly stop took 7 s at the end of every IT run.
   */
  @Override
  public void close() {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                try {
                  p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  // Still exiting: its directory may outlive this call, which is harmless.
                }
              });
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
