package io.mps3.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A progress line on a terminal's standard error; silent when standard error is not a terminal (a
 * script, a pipe, a file) and with {@code --json} (output for scripts).
 */
final class Progress {

  private final PrintWriter err;
  private final String verb;
  private final int total;
  private final boolean terminal;
  private long lastShown;

  private Progress(PrintWriter err, String verb, int total, boolean shown) {
    this.err = err;
    this.verb = verb;
    this.total = total;
    this.terminal = shown;
  }

  /** A progress line shown when standard error is a terminal. */
  static Progress onTerminal(PrintWriter err, String verb, int total) {
    return new Progress(err, verb, total, isTerminal());
  }

  /** No progress line at all (for {@code --json}). */
  static Progress none(PrintWriter err) {
    return new Progress(err, "", 0, false);
  }

  /**
   * Whether standard error is a terminal. On Linux its file descriptor tells (a terminal is a
   * {@code /dev/pts/N} or {@code /dev/ttyN}), even when standard output goes to a file, as in
   * {@code mps3 export > backup.ndjson}. Elsewhere, the console is the best Java has: from JDK 22
   * on, System.console() returns one even when output is redirected, and only Console.isTerminal()
   * (JDK 22+, so called reflectively from a Java 17 build) tells; before, a console at all means
   * standard input and output are a terminal.
   */
  private static boolean isTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return hasTerminalConsole(); // no /proc: not Linux
    }
  }

  // The null check is for JDK 17 to 21; isTerminal() below handles what the check warns of.
  @SuppressWarnings("SystemConsoleNull")
  private static boolean hasTerminalConsole() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // JDK 17 to 21: no isTerminal(), and a console is only given to a terminal
    }
  }

  void show(int done) {
    long now = System.nanoTime();
    if (!terminal || now - lastShown < 100_000_000L) {
      return;
    }
    lastShown = now;
    int width = 30;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    err.print(
        "\r["
            + "#".repeat(filled)
            + " ".repeat(width - filled)
            + "] "
            + verb
            + " "
            + done
            + "/"
            + total
            + " keys");
    err.flush();
  }

  void done(int done) {
    if (terminal) {
      err.println("\r" + verb + " " + done + " keys" + " ".repeat(40));
      err.flush();
    }
  }
}
