package io.mps3.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Waits, before a command that wrote nothing closes its client, for the writes its journal held
 * when the client opened: the client sends them on open, and closing it stops that, so a {@code get
 * --journal DIR} would read them and exit with them still in DIR. The library has no call to wait
 * on, but the journal's files are its contract (design 0003): each write is a {@code w-<seq>.json}
 * file, deleted once the bucket holds it. So the command watches DIR for them to go, for at most
 * the timeout, and says on standard error which stayed, as {@link Writes} does.
 */
final class JournalReplay {

  private static final long POLL_MILLIS = 20;

  private JournalReplay() {}

  static void await(Path journal, Duration timeout, PrintWriter err, String command)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int left = pending(journal);
    while (left > 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(POLL_MILLIS);
      left = pending(journal);
    }
    if (left > 0) {
      err.println(
          "mps3 "
              + command
              + ": the store did not take "
              + left
              + " journaled write(s) within "
              + (timeout.toMillis() % 1000 == 0
                  ? timeout.toSeconds() + " s"
                  : timeout.toMillis() + " ms")
              + "; they are kept in the journal "
              + journal
              + " and sent first by the next command with --journal "
              + journal);
      err.flush();
    }
  }

  /** The writes in the journal not yet in the bucket. */
  private static int pending(Path journal) {
    try (Stream<Path> files = Files.list(journal)) {
      return (int)
          files
              .map(f -> f.getFileName().toString())
              .filter(name -> name.startsWith("w-") && name.endsWith(".json"))
              .count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the journal " + journal, e);
    }
  }
}
