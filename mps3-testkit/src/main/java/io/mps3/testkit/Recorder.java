package io.mps3.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Exception;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A listener that records what it receives, with waits for tests. Thread-safe. */
public final class Recorder implements DocumentListener {

  private final List<DocumentChange> changes = new ArrayList<>();
  private final List<Mps3Exception> errors = new ArrayList<>();

  @Override
  public synchronized void onChange(DocumentChange change) {
    changes.add(change);
    notifyAll();
  }

  @Override
  public synchronized void onError(Mps3Exception error) {
    errors.add(error);
    notifyAll();
  }

  /** What was received so far. */
  public synchronized List<DocumentChange> changes() {
    return List.copyOf(changes);
  }

  /** The values received so far, absent as null. */
  public synchronized List<JsonNode> values() {
    List<JsonNode> out = new ArrayList<>();
    for (DocumentChange c : changes) {
      out.add(c.value().orElse(null));
    }
    return out;
  }

  /** The errors received so far. */
  public synchronized List<Mps3Exception> errors() {
    return List.copyOf(errors);
  }

  /**
   * Waits until a received change matches.
   *
   * @throws AssertionError after {@code timeout}, listing what was received
   */
  public synchronized DocumentChange await(Predicate<DocumentChange> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (DocumentChange c : changes) {
        if (match.test(c)) {
          return c;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no matching change within "
                + timeout
                + "; received "
                + changes
                + ", errors "
                + errors);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * Waits until an error was received and returns the first.
   *
   * @throws AssertionError after {@code timeout}, listing what was received
   */
  public synchronized Mps3Exception awaitError(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (errors.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no error within " + timeout + "; received " + changes);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    return errors.get(0);
  }

  /** Waits until at least {@code n} changes were received. */
  public synchronized void awaitCount(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (changes.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + n + " changes within " + timeout + ", received " + changes);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
