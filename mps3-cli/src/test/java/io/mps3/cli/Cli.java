package io.mps3.cli;

import io.mps3.testkit.JavaProcess;
import io.mps3.testkit.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the {@code mps3} command as a test needs it: inside this JVM (the default: cheap, many at
 * once), as a separate process of the test class path ({@link #process}: what shows on standard
 * error from the log, the command's own exit), or as the packaged command ({@link #packaged}).
 */
final class Cli {

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {}

  private enum Mode {
    /** {@code Main.run} in this JVM, without the command's logging set-up (it is global). */
    IN_PROCESS,
    /** A JVM of the test class path. */
    PROCESS,
    /** A JVM of the packaged jar and its runtime class path. */
    PACKAGED
  }

  private final Path dir;
  private final Map<String, String> env;
  private final Mode mode;

  /**
   * The command run inside this JVM, in {@code workingDir} with {@code environment}: its standard
   * error shows the command's messages but no log lines (use {@link #process} to test those).
   */
  Cli(Path workingDir, Map<String, String> environment) {
    this(workingDir, environment, Mode.IN_PROCESS);
  }

  private Cli(Path workingDir, Map<String, String> environment, Mode mode) {
    this.dir = workingDir;
    this.env = environment;
    this.mode = mode;
  }

  /**
   * The context of a run inside this JVM: its own environment and working directory, an empty
   * standard input, and the JVM's logging left alone (it is global; runs overlap).
   */
  static CliContext context(Path workingDir, Map<String, String> environment) {
    return new CliContext(
        environment, workingDir, new ByteArrayInputStream(new byte[0]), /* ownsLogging= */ false);
  }

  /** The command as a process of its own, with its logging as a user sees it. */
  static Cli process(Path workingDir, Map<String, String> environment) {
    return new Cli(workingDir, environment, Mode.PROCESS);
  }

  /**
   * The command as {@code bin/mps3} starts it: the packaged jar and its runtime class path, without
   * the test class path (whose libraries, such as a second SLF4J provider, a user does not have).
   * Integration tests only: they run after {@code package}.
   */
  static Cli packaged(Path workingDir, Map<String, String> environment) {
    return new Cli(workingDir, environment, Mode.PACKAGED);
  }

  /**
   * Starts {@code mps3 args...} as a process (of the test class path unless packaged); standard
   * output and error go to files in the working dir.
   */
  Process start(String name, String... args) {
    // The test class path holds a second SLF4J provider (Logback, for the S3 servers), which a
    // user's does not: pick the command's, quietly, as the packaged command finds it alone.
    List<String> command =
        mode == Mode.PACKAGED
            ? packagedCommand()
            : JavaProcess.command(
                Main.class,
                "-Dslf4j.provider=org.slf4j.jul.JULServiceProvider",
                "-Dslf4j.internal.verbosity=WARN");
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

  /**
   * Runs {@code mps3 args... > stdoutFile} in a terminal: util-linux {@code script} gives it a
   * pseudo-terminal for standard input and error, as a user's shell would; standard output goes to
   * the file. Returns what the terminal showed, as {@link Result#err()}.
   */
  Result runOnTerminal(String stdoutFile, String... args) {
    List<String> command =
        JavaProcess.command(
            Main.class,
            "-Dslf4j.provider=org.slf4j.jul.JULServiceProvider",
            "-Dslf4j.internal.verbosity=WARN");
    command.addAll(List.of(args));
    StringBuilder line = new StringBuilder();
    for (String word : command) {
      line.append('\'').append(word.replace("'", "'\\''")).append("' ");
    }
    line.append("> '").append(stdoutFile).append('\'');
    String name = "terminal-" + System.nanoTime();
    ProcessBuilder builder =
        new ProcessBuilder("script", "-qec", line.toString(), "/dev/null").directory(dir.toFile());
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve(name + ".out").toFile());
    builder.redirectError(dir.resolve(name + ".err").toFile());
    try {
      Process process = builder.start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("mps3 " + String.join(" ", args) + " did not end in 2 minutes");
      }
      return new Result(process.exitValue(), output(stdoutFile), output(name + ".out"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs {@code mps3 args...} to its end (at most 2 minutes). */
  Result run(String... args) {
    return mode == Mode.IN_PROCESS ? runHere(args) : runProcess(args);
  }

  private Result runHere(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext context = context(dir, env);
    FutureTask<Integer> run =
        new FutureTask<>(
            () ->
                Main.run(
                    List.of(args),
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    context));
    Thread thread = new Thread(run, "mps3 " + String.join(" ", args));
    thread.start();
    try {
      int exit = run.get(2, TimeUnit.MINUTES);
      return new Result(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (TimeoutException e) {
      thread.interrupt();
      throw new AssertionError("mps3 " + String.join(" ", args) + " did not end in 2 minutes", e);
    } catch (ExecutionException e) {
      throw new AssertionError("mps3 " + String.join(" ", args) + " threw", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private Result runProcess(String... args) {
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
