package io.mps3.cli;

import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.S3ProxyServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code mps3} command as a separate process, as a user would. */
final class Cli {

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {}

  private final Path dir;
  private final Map<String, String> env;
  private final boolean packaged;

  Cli(Path workingDir, Map<String, String> environment) {
    this(workingDir, environment, false);
  }

  private Cli(Path workingDir, Map<String, String> environment, boolean packaged) {
    this.dir = workingDir;
    this.env = environment;
    this.packaged = packaged;
  }

  /**
   * The command as {@code bin/mps3} starts it: the packaged jar and its runtime class path, without
   * the test class path (whose libraries, such as a second SLF4J provider, a user does not have).
   * Integration tests only: they run after {@code package}.
   */
  static Cli packaged(Path workingDir, Map<String, String> environment) {
    return new Cli(workingDir, environment, true);
  }

  /** Starts {@code mps3 args...}; standard output and error go to files in the working dir. */
  Process start(String name, String... args) {
    List<String> command = packaged ? packagedCommand() : JavaProcess.command(Main.class);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve(name + ".out").toFile());
    builder.redirectError(dir.resolve(name + ".err").toFile());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code mps3 args... --endpoint E --bucket B} against an S3Proxy, with its credentials in
   * the environment as a user would pass them.
   */
  static Result onS3Proxy(Path workingDir, S3ProxyServer server, String bucket, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--endpoint";
    all[args.length + 1] = server.endpoint().toString();
    all[args.length + 2] = "--bucket";
    all[args.length + 3] = bucket;
    Map<String, String> credentials =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            S3ProxyServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY",
            S3ProxyServer.SECRET_KEY);
    return new Cli(workingDir, credentials).run(all);
  }

  /** Runs {@code mps3 args...} to its end (at most 2 minutes). */
  Result run(String... args) {
    String name = "run-" + System.nanoTime();
    Process process = start(name, args);
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("mps3 " + String.join(" ", args) + " did not end in 2 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return new Result(process.exitValue(), output(name + ".out"), output(name + ".err"));
  }

  private static List<String> packagedCommand() {
    Path target = Path.of("target").toAbsolutePath(); // failsafe runs in the module's directory
    try {
      String runtime = Files.readString(target.resolve("runtime.classpath")).strip();
      List<String> command = JavaProcess.command(Main.class);
      int cp = command.indexOf("-cp");
      command.set(cp + 1, target.resolve("mps3-cli.jar") + File.pathSeparator + runtime);
      return command;
    } catch (IOException e) {
      throw new UncheckedIOException("the packaged command is not built (mvn package)", e);
    }
  }

  /** What a started process has printed so far. */
  String output(String file) {
    try {
      Path path = dir.resolve(file);
      return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
