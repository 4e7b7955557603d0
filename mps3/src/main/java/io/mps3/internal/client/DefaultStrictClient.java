package io.mps3.internal.client;

import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.ReadOptions;
import io.mps3.StrictAsyncClient;
import io.mps3.StrictClient;
import io.mps3.Transaction;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import io.mps3.internal.content.Values;
import io.mps3.internal.strict.StrictManifests;
import io.mps3.spi.ClientMetrics.Operation;
import io.mps3.spi.ObjectKeys;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The implementation of {@link StrictAsyncClient}: the routing of {@link DefaultMps3Client} plus
 * the calls only the strict protocol has, routed to {@link StrictManifests}. Thread-safe.
 */
final class DefaultStrictClient extends DefaultMps3Client implements StrictAsyncClient {

  private final StrictManifests strict;

  DefaultStrictClient(Mps3Config config, ClientResources resources, StrictManifests strict) {
    super(config, resources, strict);
    this.strict = strict;
  }

  @Override
  Mps3Client newSyncView() {
    return new SyncStrictClient(this);
  }

  @Override
  public StrictClient sync() {
    return (StrictClient) super.sync();
  }

  @Override
  public CompletableFuture<Optional<Versioned>> getVersioned(String key, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    return call(
        Operation.GET_VERSIONED,
        options.manifestKey(),
        () ->
            strict
                .strict(manifestKey(options.manifestKey()))
                .getVersioned(ObjectKeys.requireValidKey(key)));
  }

  @Override
  public CompletableFuture<Boolean> create(
      String key, @Nullable Object value, WriteOptions options) {
    return compareAndSet(Operation.CREATE, key, Versioned.NONE, value, options);
  }

  @Override
  public CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options) {
    return compareAndSet(Operation.COMPARE_AND_SET, key, expectedVersion, value, options);
  }

  private CompletableFuture<Boolean> compareAndSet(
      Operation operation,
      String key,
      long expectedVersion,
      @Nullable Object value,
      WriteOptions options) {
    Map<String, @Nullable Object> one = new HashMap<>();
    one.put(key, value);
    return compareAndSetAll(operation, Map.of(key, expectedVersion), one, options);
  }

  @Override
  public CompletableFuture<Boolean> compareAndSetAll(
      Map<String, Long> expectedVersions, Map<String, ?> values, WriteOptions options) {
    return compareAndSetAll(Operation.COMPARE_AND_SET_ALL, expectedVersions, values, options);
  }

  private CompletableFuture<Boolean> compareAndSetAll(
      Operation operation,
      Map<String, Long> expectedVersions,
      Map<String, ?> values,
      WriteOptions options) {
    Objects.requireNonNull(expectedVersions, "expectedVersions");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(options, "options");
    return call(
        operation,
        options.manifestKeys().size() == 1 ? options.manifestKeys().get(0) : null,
        () -> {
          String manifest = oneManifest(options, "compareAndSet");
          Map<String, Long> expect = new LinkedHashMap<>();
          expectedVersions.forEach(
              (key, version) -> {
                ObjectKeys.requireValidKey(key);
                if (version == null || version < Versioned.NONE) {
                  throw new IllegalArgumentException(
                      "expected version of "
                          + key
                          + " must be Versioned.NONE (absent) or a version, was "
                          + version);
                }
                expect.put(key, version);
              });
          return strict.write(manifest, Values.in(values, config.objectMapper()), expect);
        });
  }

  @Override
  public <T> CompletableFuture<T> transaction(Function<Transaction, T> body, WriteOptions options) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(options, "options");
    return call(
        Operation.TRANSACTION,
        options.manifestKeys().size() == 1 ? options.manifestKeys().get(0) : null,
        () -> strict.transaction(oneManifest(options, "transaction"), body));
  }

  private String oneManifest(WriteOptions options, String operation) {
    if (options.isAcknowledgedLocally()) {
      throw new IllegalArgumentException(
          operation + " cannot be acknowledged locally: the bucket decides whether it holds");
    }
    if (options.manifestKeys().size() > 1) {
      throw new IllegalArgumentException(
          operation + " runs in one manifest, not " + options.manifestKeys());
    }
    return manifestKey(options.manifestKeys().isEmpty() ? null : options.manifestKeys().get(0));
  }

  private String manifestKey(@Nullable String manifestKey) {
    return manifestKey == null ? config.manifest() : manifestKey;
  }
}
