package io.mps3.cli;

import io.mps3.Mps3Exception;
import io.mps3.spi.ObjectStoreException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code mps3} command. Exit codes: 0 success, 1 a missing key for {@code get}, 2 bad usage or
 * bad input, 3 a store error. Errors go to standard error in one line (a stack trace only with
 * {@code --verbose}), never with a secret; so do warnings, and with {@code --verbose} the library's
 * debug log ({@link CliLogging}).
 */
@Command(
    name = "mps3",
    mixinStandardHelpOptions = true,
    version = "mps3 0.1.0-SNAPSHOT",
    description = {
      "A multiplayer key-value document database in a bucket: a local directory (default",
      "./mps3-data) or any S3 API (--endpoint, with the standard AWS_* variables)."
    },
    subcommands = {
      Commands.Put.class,
      Commands.Get.class,
      Commands.Delete.class,
      Commands.Keys.class,
      Watch.class,
      Transfer.Import.class,
      Transfer.Export.class,
      Doctor.class,
      Repair.class,
      Log.class,
      DemoCommand.class,
      HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 missing key (get), or objects found that no client can read",
      "(doctor --manifest, repair), 2 bad usage or input, 3 store error.",
      "Example:",
      "  mps3 put users/42 '{\"name\": \"Ada\"}' && mps3 get users/42"
    })
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is missing");
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler(
        (failure, command, parsed) -> {
          boolean verbose = command.getParseResult().hasMatchedOption("--verbose");
          PrintWriter errors = command.getErr();
          errors.println("mps3 " + command.getCommandName() + ": " + oneLine(failure));
          if (verbose) {
            failure.printStackTrace(errors);
          }
          errors.flush();
          return exitCode(failure);
        });
    cli.setExecutionStrategy(
        parsed -> {
          try (CliLogging logging = CliLogging.install(err, parsed)) {
            return new CommandLine.RunLast().execute(parsed);
          }
        });
    int exit = cli.execute(args.toArray(new String[0]));
    cli.getOut().flush();
    cli.getErr().flush();
    return exit;
  }

  /**
   * 2 for bad usage or input, 3 otherwise. The client reports a bad argument (an invalid key) as an
   * {@link Mps3Exception} of kind INVALID caused by an {@link IllegalArgumentException}: the cause
   * tells it from INVALID answers of the store (wrong credentials, missing bucket).
   */
  private static int exitCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UsageException || t instanceof IllegalArgumentException) {
        return 2;
      }
    }
    return 3;
  }

  private static String oneLine(Throwable failure) {
    String message = failure.getMessage();
    if (!(failure instanceof Mps3Exception
        || failure instanceof ObjectStoreException
        || failure instanceof UsageException
        || failure instanceof IllegalArgumentException)) {
      message = "unexpected error: " + failure;
    }
    return String.valueOf(message).replace('\n', ' ').replace('\r', ' ');
  }
}
