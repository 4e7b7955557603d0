package io.mps3.internal.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where a client's subscriptions run their listeners: a subscription's turn is handed from the
 * client's own delivery thread to the callback executor. The hand-off is why a listener never runs
 * under a library lock, whatever the executor: even {@code Runnable::run} then runs listeners on
 * the delivery thread, which holds no lock, never on a thread that offered a value while holding
 * one. Thread-safe.
 */
public final class Deliveries {

  private final ExecutorService thread;
  private final Executor callbacks;
  final ObjectMapper mapper;

  public Deliveries(ExecutorService thread, Executor callbacks, ObjectMapper mapper) {
    this.thread = thread;
    this.callbacks = callbacks;
    this.mapper = mapper;
  }

  /** Runs {@code turn} on the callback executor, by way of the delivery thread. */
  void schedule(Runnable turn) {
    try {
      thread.execute(() -> callbacks.execute(turn));
    } catch (RejectedExecutionException closed) {
      // The client closed: its subscriptions are closed too, nothing is left to deliver.
    }
  }
}
