package io.mps3.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} that records every call in a Micrometer registry, for the store a client
 * is configured with ({@code Mps3Config.builder().store(MeteredObjectStore.of(store, registry))}):
 *
 * <ul>
 *   <li>{@code mps3.store.requests}, a timer tagged {@code operation} ({@code get}, {@code put},
 *       {@code head}, {@code delete}, {@code list}) and {@code outcome} ({@code found}, {@code
 *       not_found}, {@code not_modified}, {@code written}, {@code precondition_failed}, {@code
 *       outcome_unknown}, {@code ok}, or {@code error_} and the failure's kind in lower case);
 *   <li>{@code mps3.store.bytes.sent} (bodies put) and {@code mps3.store.bytes.received} (bodies
 *       got), counters in bytes.
 * </ul>
 *
 * <p>A call of the store is one protocol step (an S3 store's retries within its deadline count
 * once). Tags carry no key, bucket or value: their number stays bounded. Closing it closes the
 * store it wraps.
 */
public final class MeteredObjectStore implements ObjectStore {

  private final ObjectStore store;
  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter received;

  private MeteredObjectStore(ObjectStore store, MeterRegistry registry) {
    this.store = store;
    this.registry = registry;
    this.sent = Counter.builder("mps3.store.bytes.sent").baseUnit("bytes").register(registry);
    this.received =
        Counter.builder("mps3.store.bytes.received").baseUnit("bytes").register(registry);
  }

  /**
   * Wraps a store.
   *
   * @param store the store to record the calls of
   * @param registry where the meters go
   * @return the recording store
   */
  public static MeteredObjectStore of(ObjectStore store, MeterRegistry registry) {
    return new MeteredObjectStore(
        Objects.requireNonNull(store, "store"), Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    return timed(
        "get",
        () -> store.get(bucket, key, options),
        result -> {
          if (result instanceof GetResult.Found found) {
            received.increment(found.object().body().length);
            return "found";
          }
          return result instanceof GetResult.NotFound ? "not_found" : "not_modified";
        });
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    sent.increment(body.length);
    return timed(
        "put",
        () -> store.put(bucket, key, body, options),
        outcome -> {
          if (outcome instanceof PutOutcome.Written) {
            return "written";
          }
          return outcome instanceof PutOutcome.PreconditionFailed
              ? "precondition_failed"
              : "outcome_unknown";
        });
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return timed("head", () -> store.head(bucket, key), m -> m.isPresent() ? "found" : "not_found");
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return timed("delete", () -> store.delete(bucket, key), ignored -> "ok");
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return timed("list", () -> store.list(bucket, request), ignored -> "ok");
  }

  @Override
  public void close() {
    store.close();
  }

  /** Records the call when it ends, under the outcome its result (or failure) names. */
  private <T> CompletableFuture<T> timed(
      String operation, Supplier<CompletableFuture<T>> start, Function<T, String> outcome) {
    Timer.Sample sample = Timer.start(registry);
    CompletableFuture<T> call;
    try {
      call = start.get();
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e); // a store that throws instead of failing
    }
    return call.whenComplete(
        (result, error) -> {
          String what = error == null ? outcome.apply(result) : "error_" + kind(error);
          sample.stop(
              Timer.builder("mps3.store.requests")
                  .tag("operation", operation)
                  .tag("outcome", what)
                  .register(registry));
        });
  }

  private static String kind(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof ObjectStoreException e
        ? e.kind().name().toLowerCase(Locale.ROOT)
        : "internal";
  }
}
