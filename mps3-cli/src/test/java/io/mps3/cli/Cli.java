package io.mps3.cli;

import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.S3ProxyServer;
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

  Cli(Path workingDir, Map<String, String> environment) {
    this.dir = workingDir;
    this.env = environment;
  }

  /** Starts {@code mps3 args...}; standard output and error go to files in the working dir. */
  Process start(String name, String... args) {
    List<String> command = JavaProcess.command(Main.class);
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
