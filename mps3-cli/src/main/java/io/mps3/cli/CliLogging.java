package io.mps3.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import picocli.CommandLine.ParseResult;

/**
 * Where log lines go while a command runs. The library logs through {@link System.Logger}, which
 * the JDK sends to {@code java.util.logging}; the AWS signer logs through SLF4J, which the command
 * sends there too ({@code slf4j-jdk14}), so one configuration covers both. By default only warnings
 * reach standard error, one line each; {@code --verbose} adds the library's debug log (each S3
 * call, retries, skipped objects), which never holds a secret, a signature or a body.
 */
final class CliLogging implements AutoCloseable {

  /** Held here: {@code java.util.logging} keeps loggers weakly, and would forget the level. */
  private static final Logger LIBRARY = Logger.getLogger("io.mps3");

  private static final Logger ROOT = Logger.getLogger("");

  private final List<Handler> previousHandlers;
  private final Level previousRootLevel;
  private final Level previousLibraryLevel;
  private final Handler handler;

  private CliLogging(PrintStream err, boolean verbose) {
    previousHandlers = List.of(ROOT.getHandlers());
    previousRootLevel = ROOT.getLevel();
    previousLibraryLevel = LIBRARY.getLevel();
    previousHandlers.forEach(ROOT::removeHandler); // the JDK's default prints two lines at INFO
    handler = new LineHandler(err);
    handler.setLevel(Level.ALL);
    ROOT.addHandler(handler);
    ROOT.setLevel(Level.WARNING);
    LIBRARY.setLevel(verbose ? Level.FINE : Level.WARNING); // System.Logger's DEBUG is FINE
  }

  /** Sends log lines to {@code err} until closed: warnings, and with --verbose the debug log. */
  static CliLogging install(PrintStream err, ParseResult parsed) {
    boolean verbose = false;
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      verbose |= p.hasMatchedOption("--verbose");
    }
    return new CliLogging(err, verbose);
  }

  /** Puts back what was configured before (tests run the command in their own JVM). */
  @Override
  public void close() {
    handler.flush();
    ROOT.removeHandler(handler);
    previousHandlers.forEach(ROOT::addHandler);
    ROOT.setLevel(previousRootLevel);
    LIBRARY.setLevel(previousLibraryLevel);
  }

  /** One line a record: {@code mps3: WARNING S3Transport: message}. */
  private static final class LineHandler extends Handler {
    private final PrintStream err;

    LineHandler(PrintStream err) {
      this.err = err;
      setFormatter(
          new Formatter() {
            @Override
            public String format(LogRecord record) {
              String name = record.getLoggerName() == null ? "" : record.getLoggerName();
              String shortName = name.substring(name.lastIndexOf('.') + 1);
              return "mps3: "
                  + record.getLevel().getName()
                  + " "
                  + shortName
                  + ": "
                  + formatMessage(record).replace('\n', ' ');
            }
          });
    }

    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        err.println(getFormatter().format(record));
      }
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
