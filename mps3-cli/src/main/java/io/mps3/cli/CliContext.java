package io.mps3.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of the command takes from around it: environment variables (the {@code AWS_*} defaults
 * of an S3 endpoint), the working directory (relative paths resolve against it), standard input,
 * and whether it owns the process's logging.
 *
 * <p>{@code bin/mps3} runs with {@link #system()}. Tests run the command inside their own JVM with
 * a context of their own, many at once: such a run leaves {@code java.util.logging} alone (its
 * configuration is global), so its standard error holds the command's messages but no log lines.
 *
 * @param variables the environment variables
 * @param workingDirectory an absolute directory
 * @param in standard input
 * @param ownsLogging whether the run sends the process's log to its standard error
 */
record CliContext(
    Map<String, String> variables, Path workingDirectory, InputStream in, boolean ownsLogging) {

  CliContext {
    variables = Map.copyOf(variables);
    workingDirectory = workingDirectory.toAbsolutePath().normalize();
  }

  /** The process's own environment, working directory and standard input. */
  static CliContext system() {
    return new CliContext(System.getenv(), Path.of(""), System.in, true);
  }

  /** {@return a path given on the command line, resolved against the working directory} */
  Path resolve(Path path) {
    return workingDirectory.resolve(path);
  }

  /** {@return the context of the run that {@code spec}'s command belongs to} */
  static CliContext of(picocli.CommandLine.Model.CommandSpec spec) {
    return ((Main) spec.root().userObject()).context;
  }
}
