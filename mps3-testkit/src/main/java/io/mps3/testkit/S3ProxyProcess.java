package io.mps3.testkit;

import io.mps3.store.S3ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * S3Proxy 4.1 over a directory (its {@code filesystem} back end, signatures checked) in a child JVM
 * on a fixed port of 127.0.0.1, so that a test can kill it with SIGKILL ({@link #kill()}) and start
 * it again on the same port and directory ({@link #restart()}): the same store at the same address,
 * as an operator's restart of a crashed server is.
 *
 * <p>The port is chosen free at start, below the kernel's range of ephemeral ports: a client that
 * connects to a port of that range while nothing listens there can be given that very port as its
 * own source port (a TCP self-connect), which then holds the port and the restart could not bind.
 *
 * <p>Thread-safe.
 */
public final class S3ProxyProcess implements S3Server {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PORT_FREE_TIMEOUT = Duration.ofSeconds(30);

  private final Path directory;
  private final Path log;
  private final int port;
  private final S3ProxyLaunch launch;
  private @Nullable Process process;

  private S3ProxyProcess(Path directory, Path log, int port, S3ProxyLaunch launch) {
    this.directory = directory;
    this.log = log;
    this.port = port;
    this.launch = launch;
  }

  /**
   * Starts S3Proxy over {@code directory} (created if missing) and waits until it answers. Its
   * standard error goes to {@code s3proxy.log} next to the directory. Its restarts load S3Proxy's
   * classes from an archive made first by a training run (see {@link S3ProxyLaunch}).
   */
  public static S3ProxyProcess start(Path directory) {
    return start(directory, S3ProxyLaunch.archived(directory));
  }

  static S3ProxyProcess start(Path directory, S3ProxyLaunch launch) {
    try {
      Files.createDirectories(directory);
      Path log = directory.resolveSibling(directory.getFileName() + "-s3proxy.log");
      S3ProxyProcess server = new S3ProxyProcess(directory, log, unusedPort(), launch);
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy over " + directory, e);
    }
  }

  /**
   * Stops the server with SIGTERM (the JVM exits normally), and waits until the process is gone.
   */
  synchronized void stop() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroy();
    try {
      if (!running.waitFor(30, TimeUnit.SECONDS)) {
        running.destroyForcibly();
        throw new IllegalStateException("S3Proxy (pid " + running.pid() + ") outlived SIGTERM");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while S3Proxy stopped", e);
    }
    process = null;
  }

  /** Kills the server with SIGKILL, and waits until the process is gone. */
  public synchronized void kill() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroyForcibly();
    try {
      if (!running.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("S3Proxy (pid " + running.pid() + ") outlived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while S3Proxy died", e);
    }
    process = null;
  }

  /**
   * Starts the server again (killing it first if it runs) as soon as its port is free, and waits
   * until it answers.
   *
   * @throws IllegalStateException with the tail of its log when it does not start
   */
  public synchronized void restart() {
    kill();
    awaitPortFree();
    try {
      ProcessBuilder builder =
          new ProcessBuilder(launch.command(port, directory))
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process started = builder.start();
      process = started;
      awaitReady(started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy on port " + port, e);
    }
  }

  /** Reads the child's standard output (which must be drained anyway) until it says ready. */
  private void awaitReady(Process started) {
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.equals(S3ProxyMain.READY)) {
                    ready.countDown();
                  }
                }
              } catch (IOException e) {
                // The process died; the wait below reports it.
              }
            },
            "s3proxy-" + port + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.await(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        started.destroyForcibly();
        throw new IllegalStateException(
            "S3Proxy on port "
                + port
                + " was not ready within "
                + READY_TIMEOUT.toSeconds()
                + " s (alive: "
                + started.isAlive()
                + "); log:\n"
                + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while S3Proxy started", e);
    }
  }

  /** Waits until nothing listens on the port any more (the kernel frees it after the kill). */
  private void awaitPortFree() {
    long deadline = System.nanoTime() + PORT_FREE_TIMEOUT.toNanos();
    while (!bindable(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "port " + port + " still taken " + PORT_FREE_TIMEOUT.toSeconds() + " s after a kill");
      }
      Thread.onSpinWait();
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port free now, below the ephemeral range (see the class comment). */
  private static int unusedPort() {
    for (int i = 0; i < 200; i++) {
      int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      if (bindable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port found in 20000..31999");
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** {@return whether the server process is running} */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public S3ObjectStore.Builder storeBuilder() {
    return S3ObjectStore.builder()
        .endpoint(endpoint())
        .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
  }

  @Override
  public String name() {
    return "S3Proxy (filesystem, own process)";
  }

  @Override
  public void close() {
    kill();
  }
}
