package io.mps3.cli;

import java.io.PrintWriter;

/** A progress line on a terminal's standard error; silent when output is not a terminal. */
final class Progress {

  private final PrintWriter err;
  private final String verb;
  private final int total;
  private final boolean terminal = System.console() != null;
  private long lastShown;

  Progress(PrintWriter err, String verb, int total) {
    this.err = err;
    this.verb = verb;
    this.total = total;
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
