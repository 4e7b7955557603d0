package io.mps3.cli;

import io.mps3.Mps3Client;
import io.mps3.WriteOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The writes of put, delete and import. Without a journal each waits for the bucket. With {@code
 * --journal} a write is durable in the journal before the client sends it (the call journals it
 * before it returns a future); the command waits for the bucket at most the timeout, and a write
 * the store has not taken by then stays in the journal, for the next client opened on it. The
 * writes after such a one are only journaled: they could not pass it (the journal keeps order).
 */
final class Writes {

  private final Mps3Client client;
  private final @Nullable Path journal;
  private final Duration wait;
  private int leftInJournal;

  Writes(Mps3Client client, @Nullable Path journal, Duration wait) {
    this.client = client;
    this.journal = journal;
    this.wait = wait;
  }

  /** Writes the keys in one atomic step; {@link io.mps3.Absent#ABSENT} deletes. */
  void write(Map<String, ?> values) throws InterruptedException {
    write(values, WriteOptions.defaults());
  }

  /** Writes the keys in one atomic step to the manifests {@code to} names. */
  void write(Map<String, ?> values, WriteOptions to) throws InterruptedException {
    if (journal == null) {
      client.putAll(values, to);
      return;
    }
    if (leftInJournal > 0) {
      client.putAll(values, to.acknowledgedLocally());
      leftInJournal += values.size();
      return;
    }
    try {
      client.async().putAll(values, to).get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      leftInJournal = values.size(); // journaled already: durable, and sent by the next client
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Says on standard error which writes stayed in the journal, if any. */
  void report(PrintWriter err, String command) {
    if (leftInJournal > 0) {
      err.println(
          "mps3 "
              + command
              + ": the store did not take "
              + leftInJournal
              + " key write(s) within "
              + (wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms")
              + "; they are kept in the journal "
              + journal
              + " and sent first by the next put, delete or import with --journal "
              + journal);
      err.flush();
    }
  }
}
