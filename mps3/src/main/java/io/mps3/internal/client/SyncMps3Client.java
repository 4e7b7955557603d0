package io.mps3.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.DocumentListener;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import io.mps3.internal.manifest.Errors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** The blocking view of an asynchronous client. Thread-safe. */
class SyncMps3Client implements Mps3Client {

  private final Mps3AsyncClient async;

  SyncMps3Client(Mps3AsyncClient async) {
    this.async = async;
  }

  @Override
  public Optional<JsonNode> get(String key) {
    return await(async.get(key));
  }

  @Override
  public Optional<JsonNode> get(String key, ReadOptions options) {
    return await(async.get(key, options));
  }

  @Override
  public <T> Optional<T> get(String key, Class<T> type) {
    return await(async.get(key, type));
  }

  @Override
  public void put(String key, @Nullable Object value) {
    await(async.put(key, value));
  }

  @Override
  public void put(String key, @Nullable Object value, WriteOptions options) {
    await(async.put(key, value, options));
  }

  @Override
  public void delete(String key) {
    await(async.delete(key));
  }

  @Override
  public void delete(String key, WriteOptions options) {
    await(async.delete(key, options));
  }

  @Override
  public void putAll(Map<String, ?> values) {
    await(async.putAll(values));
  }

  @Override
  public void putAll(Map<String, ?> values, WriteOptions options) {
    await(async.putAll(values, options));
  }

  @Override
  public List<String> keys(String prefix) {
    return await(async.keys(prefix));
  }

  @Override
  public Subscription subscribe(String key, DocumentListener listener) {
    return async.subscribe(key, listener);
  }

  @Override
  public Subscription subscribe(String key, ReadOptions options, DocumentListener listener) {
    return async.subscribe(key, options, listener);
  }

  @Override
  public Subscription subscribePrefix(
      String prefix, ReadOptions options, DocumentListener listener) {
    return async.subscribePrefix(prefix, options, listener);
  }

  @Override
  public void refresh() {
    await(async.refresh());
  }

  @Override
  public Mps3AsyncClient async() {
    return async;
  }

  @Override
  public void close() {
    async.close();
  }

  /**
   * Waits, and rethrows a failure with this caller's stack (the original as its cause); an
   * exception of the caller's own transaction body is rethrown unchanged.
   */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Mps3Exception(ErrorKind.UNAVAILABLE, "interrupted while waiting for MPS3", e);
    } catch (ExecutionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof Mps3Exception || failure == null) {
        Mps3Exception cause = Errors.translate(e);
        throw new Mps3Exception(
            cause.kind(), cause.getMessage(), cause, cause.laterOutcome().orElse(null));
      }
      if (failure instanceof RuntimeException runtimeException) {
        throw runtimeException; // the transaction body's own exception
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw Errors.translate(failure);
    }
  }
}
