package io.mps3.internal.client;

import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.StrictClient;
import io.mps3.Transaction;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The blocking view of a strict client. Thread-safe. */
final class SyncStrictClient extends SyncMps3Client implements StrictClient {

  private final StrictAsyncClient async;

  SyncStrictClient(StrictAsyncClient async) {
    super(async);
    this.async = async;
  }

  @Override
  public Optional<Versioned> getVersioned(String key) {
    return await(async.getVersioned(key));
  }

  @Override
  public Optional<Versioned> getVersioned(String key, ReadOptions options) {
    return await(async.getVersioned(key, options));
  }

  @Override
  public boolean create(String key, @Nullable Object value) {
    return await(async.create(key, value));
  }

  @Override
  public boolean create(String key, @Nullable Object value, WriteOptions options) {
    return await(async.create(key, value, options));
  }

  @Override
  public boolean compareAndSet(String key, long expectedVersion, @Nullable Object value) {
    return await(async.compareAndSet(key, expectedVersion, value));
  }

  @Override
  public boolean compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options) {
    return await(async.compareAndSet(key, expectedVersion, value, options));
  }

  @Override
  public boolean compareAndSetAll(Map<String, Long> expectedVersions, Map<String, ?> values) {
    return await(async.compareAndSetAll(expectedVersions, values, WriteOptions.defaults()));
  }

  @Override
  public <T> T transaction(Function<Transaction, T> body) {
    return await(async.transaction(body));
  }

  @Override
  public <T> T transaction(Function<Transaction, T> body, WriteOptions options) {
    return await(async.transaction(body, options));
  }

  @Override
  public StrictAsyncClient async() {
    return async;
  }
}
