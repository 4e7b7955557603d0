package io.mps3.cli;

import io.mps3.Mps3Exception;
import io.mps3.spi.ObjectStoreException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code mps3} command. Exit codes: 0 success, 1 the command's "no" (a missing key for {@code
 * get}, keys left out by {@code export}, unreadable objects for {@code doctor --manifest} and
 * {@code repair}), 2 bad usage or bad input, 3 a store error. Errors go to standard error in one
 * line (a stack trace only with {@code --verbose}), never with a secret; so do warnings, and with
 * {@code --verbose} the library's debug log ({@link CliLogging}).
 */
@Command(
    name = "mps3",
    mixinStandardHelpOptions = true,
    version = "mps3 0.1.0-SNAPSHOT",
    description =
        "A multiplayer key-value document database in a bucket: a local directory (default"
            + " ./mps3-data) or any S3 API (--endpoint, with the standard AWS_* variables).",
    subcommands = {
      Commands.Put.class,
      Commands.Get.class,
      Commands.Delete.class,
      Commands.Keys.class,
      Watch.class,
      Console.class,
      Transfer.Import.class,
      Transfer.Export.class,
      Doctor.class,
      Repair.class,
      Log.class,
      MakeBucket.class,
      DemoCommand.class,
      Completion.class,
      HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success; 1 the command's \"no\" (get: the key is absent; export: keys"
          + " could not be read, left out and listed on standard error; doctor --manifest:"
          + " objects no client can read; repair: a dry run found objects to move, or one changed"
          + " during the repair); 2 bad usage or input; 3 the store failed (unreachable, timed"
          + " out, access denied, no such bucket).",
      "",
      "The gateway, an authenticating S3 endpoint for browsers and untrusted clients, runs"
          + " with `mps3 gateway --config gateway.yaml` (module mps3-gateway; README: Public"
          + " use).",
      "",
      "Example:",
      "  mps3 put users/42 '{\"name\": \"Ada\"}' && mps3 get users/42"
    })
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  /** Where this run's environment, working directory and standard input come from. */
  final CliContext context;

  private Main(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is missing");
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err, CliContext.system()));
  }

  /**
   * The command's model: help wraps at the terminal's width (picocli asks the terminal; 80 columns
   * when output is not a terminal), and {@code mb} drops the options that name a bucket or a
   * manifest, as its BUCKET argument names the one it makes.
   */
  static CommandLine commandLine(CliContext context) {
    CommandLine cli = new CommandLine(new Main(context));
    // Paths given on the command line (and their defaults) are relative to the run's directory.
    cli.registerConverter(Path.class, path -> context.resolve(Path.of(path)));
    CommandSpec mb = Objects.requireNonNull(cli.getSubcommands().get("mb"), "mb").getCommandSpec();
    for (String name : MakeBucket.NOT_HERE) {
      mb.remove(Objects.requireNonNull(mb.findOption(name), name));
    }
    cli.setUsageHelpAutoWidth(true);
    return cli;
  }

  static int run(List<String> args, PrintStream out, PrintStream err, CliContext context) {
    CommandLine cli = commandLine(context);
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler(
        (failure, command, parsed) -> {
          boolean verbose = command.getParseResult().hasMatchedOption("--verbose");
          PrintWriter errors = command.getErr();
          errors.println(
              "mps3 "
                  + command.getCommandName()
                  + ": "
                  + oneLine(failure)
                  + hint(failure, command));
          if (verbose) {
            failure.printStackTrace(errors);
          }
          errors.flush();
          return exitCode(failure);
        });
    cli.setExecutionStrategy(
        parsed -> {
          if (!context.ownsLogging()) {
            return new CommandLine.RunLast().execute(parsed);
          }
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

  /** What to do about a missing bucket: make it. */
  private static String hint(Throwable failure, CommandLine command) {
    if (!Buckets.isMissingBucket(failure)) {
      return "";
    }
    String bucket = command.getParseResult().matchedOptionValue("--bucket", "mps3");
    return "; make the bucket with `mps3 mb "
        + bucket
        + "` (with the same --endpoint), or pass --create-bucket to put or import";
  }

  private static String oneLine(Throwable failure) {
    String message = failure.getMessage();
    if (!(failure instanceof Mps3Exception
        || failure instanceof ObjectStoreException
        || failure instanceof UncheckedIOException
        || failure instanceof UsageException
        || failure instanceof IllegalArgumentException)) {
      message = "unexpected error: " + failure;
    }
    return String.valueOf(message).replace('\n', ' ').replace('\r', ' ');
  }
}
