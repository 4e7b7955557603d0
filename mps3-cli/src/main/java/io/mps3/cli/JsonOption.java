package io.mps3.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --json}: output for scripts. */
final class JsonOption {

  @Option(
      names = "--json",
      description =
          "Print JSON for scripts, and no progress bar (the README gives each shape; get, keys,"
              + " watch, export and log print JSON anyway).")
  boolean json;

  /** A progress line for people, on a terminal: none for scripts. */
  Progress progress(PrintWriter err, String verb, int total) {
    return json ? Progress.none(err) : Progress.onTerminal(err, verb, total);
  }
}
