package io.mps3.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.Absent;
import io.mps3.DocumentListener;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.WriteOptions;
import io.mps3.internal.content.Values;
import io.mps3.internal.manifest.BodyFailure;
import io.mps3.internal.manifest.Errors;
import io.mps3.internal.manifest.Manifest;
import io.mps3.internal.manifest.Manifests;
import io.mps3.internal.manifest.OpenManifests;
import io.mps3.internal.metrics.Metrics;
import io.mps3.spi.ClientMetrics.Operation;
import io.mps3.spi.ClientMetrics.Outcome;
import io.mps3.spi.ObjectKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The implementation of {@link Mps3AsyncClient}: checks each call, routes it to the manifest it
 * names through the protocol's {@link Manifests}, and copies values in and out ({@link Values}).
 * Every call runs inside {@link #call}, so no call throws: a failure, a bad argument included,
 * completes its future with an {@link Mps3Exception}, and is timed for the client's metrics. The
 * client's resources (store, threads, journal, metrics) are a {@link ClientResources}. Thread-safe.
 */
public class DefaultMps3Client implements Mps3AsyncClient {

  final Mps3Config config;
  private final ClientResources resources;
  private final Manifests manifests;
  private final Mps3Client sync;

  @SuppressWarnings("FutureReturnValueIgnored") // the release runs until close() ends the scheduler
  DefaultMps3Client(Mps3Config config, ClientResources resources, Manifests manifests) {
    this.config = config;
    this.resources = resources;
    this.manifests = manifests;
    this.sync = newSyncView();
    resources.attach(manifests);
    long every = OpenManifests.IDLE.toMillis() / 5;
    resources.scheduler.scheduleWithFixedDelay(
        this::releaseIdleManifests, every, every, TimeUnit.MILLISECONDS);
  }

  /** How many manifests this client has open. */
  int openManifests() {
    return manifests.openCount();
  }

  /** Stops and forgets the manifests this client no longer uses; how many. */
  int releaseIdleManifests() {
    return manifests.releaseIdle();
  }

  /** The blocking view of this client; a subclass gives its own. */
  Mps3Client newSyncView() {
    return new SyncMps3Client(this);
  }

  // -- reads ------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Optional<JsonNode>> get(String key, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    return call(
        Operation.GET,
        options.manifestKey(),
        () ->
            manifest(options.manifestKey())
                .get(ObjectKeys.requireValidKey(key))
                .thenApply(Values::out));
  }

  @Override
  public <T> CompletableFuture<Optional<T>> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return call(
        Operation.GET,
        null,
        () ->
            manifest(null)
                .get(ObjectKeys.requireValidKey(key))
                .thenApply(value -> Values.as(value, type, key, config.objectMapper())));
  }

  @Override
  public CompletableFuture<List<String>> keys(String prefix, ReadOptions options) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(options, "options");
    return call(
        Operation.KEYS, options.manifestKey(), () -> manifest(options.manifestKey()).keys(prefix));
  }

  @Override
  public CompletableFuture<Void> refresh() {
    return call(Operation.REFRESH, null, () -> manifest(null).catchUp());
  }

  // -- writes -----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Void> put(String key, @Nullable Object value, WriteOptions options) {
    Map<String, @Nullable Object> one = new HashMap<>();
    one.put(key, value);
    return write(Operation.PUT, one, options);
  }

  @Override
  public CompletableFuture<Void> delete(String key, WriteOptions options) {
    return write(Operation.DELETE, Map.of(key, Absent.ABSENT), options);
  }

  @Override
  public CompletableFuture<Void> putAll(Map<String, ?> values, WriteOptions options) {
    Objects.requireNonNull(values, "values");
    return write(Operation.PUT_ALL, values, options);
  }

  private CompletableFuture<Void> write(
      Operation operation, Map<String, ?> values, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    List<String> targets = targets(options);
    return call(
        operation,
        targets.size() == 1 ? targets.get(0) : "*",
        () -> {
          Map<String, @Nullable JsonNode> nodes = Values.in(values, config.objectMapper());
          if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
          }
          return manifests.write(targets, nodes, options.isAcknowledgedLocally());
        });
  }

  private List<String> targets(WriteOptions options) {
    return options.manifestKeys().isEmpty() ? List.of(config.manifest()) : options.manifestKeys();
  }

  // -- subscriptions ----------------------------------------------------------------------------

  @Override
  public Subscription subscribe(String key, ReadOptions options, DocumentListener listener) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(listener, "listener");
    return subscribe(key, false, options, listener);
  }

  @Override
  public Subscription subscribePrefix(
      String prefix, ReadOptions options, DocumentListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(listener, "listener");
    return subscribe(prefix, true, options, listener);
  }

  private Subscription subscribe(
      String keyOrPrefix, boolean prefix, ReadOptions options, DocumentListener listener) {
    if (resources.isClosed()) {
      throw closed();
    }
    try {
      if (!prefix) {
        ObjectKeys.requireValidKey(keyOrPrefix);
      }
      return manifest(options.manifestKey()).subscribe(keyOrPrefix, prefix, listener);
    } catch (RuntimeException e) {
      throw Errors.translate(e); // the one call that cannot fail a future: it throws ours
    }
  }

  // -- plumbing ---------------------------------------------------------------------------------

  @Override
  public Mps3Client sync() {
    return sync;
  }

  @Override
  public void close() {
    if (resources.markClosed()) {
      manifests.stop();
      resources.close();
    }
  }

  /** The manifest of a key ({@code null}: the default one). */
  Manifest manifest(@Nullable String manifestKey) {
    return manifests.manifest(manifestKey == null ? config.manifest() : manifestKey);
  }

  static Mps3Exception closed() {
    return new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", null);
  }

  /**
   * Runs a call as {@link #call(Supplier)} does, and records it in the client's metrics (when there
   * are any) before its future completes, so a caller that waited for it finds it recorded.
   *
   * @param manifest the manifest it runs on; null for the default one
   */
  @SuppressWarnings("FutureReturnValueIgnored") // whenComplete hands both outcomes to result
  <T> CompletableFuture<T> call(
      Operation operation, @Nullable String manifest, Supplier<CompletableFuture<T>> body) {
    Metrics metrics = resources.metrics;
    if (!metrics.on()) {
      return call(body);
    }
    long started = metrics.start();
    String name = manifest == null ? config.manifest() : manifest;
    CompletableFuture<T> result = new CompletableFuture<>();
    call(body)
        .whenComplete(
            (value, error) -> {
              try {
                metrics.operation(name, operation, outcome(error), started);
              } finally {
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(value);
                }
              }
            });
    return result;
  }

  private static Outcome outcome(@Nullable Throwable error) {
    if (error == null) {
      return Outcome.SUCCESS;
    }
    return error instanceof Mps3Exception e ? Outcome.of(e.kind()) : Outcome.ABORTED;
  }

  /**
   * Runs a call: a closed client fails it, and anything it throws or fails with becomes an {@link
   * Mps3Exception} in the future, never a throw. A {@link BodyFailure} passes its cause unchanged.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // whenComplete hands both outcomes to result
  <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> body) {
    if (resources.isClosed()) {
      return CompletableFuture.failedFuture(closed());
    }
    CompletableFuture<T> started;
    try {
      started = body.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(publicFailure(e));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    started.whenComplete(
        (value, error) -> {
          if (error != null) {
            result.completeExceptionally(publicFailure(error));
          } else {
            result.complete(value);
          }
        });
    return result;
  }

  private static Throwable publicFailure(Throwable error) {
    Throwable body = BodyFailure.unwrap(error);
    return body != null ? body : Errors.translate(error);
  }
}
