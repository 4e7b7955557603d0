package io.mps3.internal.s3;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * One HTTP exchange of an attempt, sent with the blocking {@code HttpClient.send} from a thread of
 * the transport's pool, which waits there for the answer.
 *
 * <p>Why not {@code sendAsync}: on JDK 17 it hands every answer to {@code CompletableFuture}'s
 * default async executor before the caller's stages run, and on a machine with one or two cores
 * that executor starts a new thread for each task, so every request started a thread (measured on 2
 * cores: 1 thread per request, and a client's CPU per sequential GET about halved without it). A
 * blocking {@code send} makes no such hop: the exchange runs on the client's selector while the
 * pooled thread waits, and the thread is reused. Cancelling {@link S3Call#inFlight} interrupts that
 * thread, and {@code send} then cancels the exchange and closes its connection, as cancelling
 * {@code sendAsync}'s future did.
 */
final class S3Exchange {

  private S3Exchange() {}

  /**
   * Sends {@code request} on a thread of {@code pool}; the attempt's exchange is {@code call}'s.
   */
  static CompletableFuture<HttpResponse<byte[]>> send(
      HttpClient http, Executor pool, HttpRequest request, S3Call call) {
    CompletableFuture<HttpResponse<byte[]>> answer = new CompletableFuture<>();
    FutureTask<Void> exchange =
        new FutureTask<>(
            () -> {
              try {
                answer.complete(http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
              } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(original(e));
              } catch (InterruptedException e) {
                // Cancelled (the call ended) or the transport closed: send() cancelled the
                // exchange; nobody waits for this answer.
                answer.completeExceptionally(e);
              }
            },
            null);
    call.inFlight = exchange;
    try {
      pool.execute(exchange);
    } catch (RejectedExecutionException e) {
      answer.completeExceptionally(e); // the transport is closing
    }
    return answer;
  }

  /**
   * The exchange's own failure: {@code send} throws a new exception of the same type with it as the
   * cause (to add this thread's stack), and the retry policy and the messages classify the original
   * as they did with {@code sendAsync}.
   */
  static Throwable original(Throwable thrown) {
    Throwable cause = thrown.getCause();
    return cause != null && thrown.getClass().isInstance(cause) ? cause : thrown;
  }
}
