package io.mps3.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.mps3.Protocol;
import io.mps3.spi.ClientMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Client metrics in a Micrometer registry, for {@code
 * Mps3Config.builder().metrics(MicrometerClientMetrics.of(registry))}:
 *
 * <ul>
 *   <li>{@code mps3.client.operations}, a timer of each call, tagged {@code operation} ({@code
 *       get}, {@code keys}, {@code refresh}, {@code put}, {@code delete}, {@code put_all}, {@code
 *       get_versioned}, {@code create}, {@code compare_and_set}, {@code compare_and_set_all},
 *       {@code transaction}) and {@code outcome} ({@code success}, {@code aborted} for a
 *       transaction whose body threw, or the failure's kind: {@code conflict}, {@code unavailable},
 *       {@code invalid}, {@code corrupt}, {@code closed}, {@code outcome_unknown}, {@code
 *       internal});
 *   <li>{@code mps3.client.commits}, a counter tagged {@code event}: {@code committed} (an entry
 *       landed), {@code conflict} (strict: another writer took the slot), {@code refused} (strict:
 *       a write's preconditions failed), {@code retried} (an entry sent again after a failure),
 *       {@code transaction_rerun};
 *   <li>{@code mps3.client.poll.lag}, a timer of the time from another writer's stamp on a change
 *       to this client reading it (see {@link ClientMetrics.Recorder#pollLag});
 *   <li>{@code mps3.client.writes.pending}, a gauge of the writes the bucket does not hold yet;
 *   <li>{@code mps3.client.subscriptions.backlog}, a gauge of the changes waiting for listeners.
 * </ul>
 *
 * <p>Every meter is tagged {@code protocol} ({@code causal}, {@code strict}); the first three also
 * {@code manifest} (the manifest's key, {@code *} for a write to several), the gauges not: they sum
 * over the manifests and the live clients of a protocol that report here. No tag holds a document
 * key or a value, so their number stays bounded by the manifests an application names. One instance
 * may serve any number of clients; make one per registry (Micrometer keeps the first gauge of a
 * name and tags, so a second instance's clients would be missing from the gauges). Thread-safe.
 *
 * @since 0.1
 */
public final class MicrometerClientMetrics implements ClientMetrics {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<Protocol, Set<Client>> live = new ConcurrentHashMap<>();

  private MicrometerClientMetrics(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  /**
   * Metrics in a registry.
   *
   * @param registry where the meters go
   * @return metrics to give to {@code Mps3Config.Builder.metrics}
   */
  public static MicrometerClientMetrics of(MeterRegistry registry) {
    return of(registry, Tags.empty());
  }

  /**
   * Metrics in a registry, with tags of the caller's on every meter (an application name, say).
   *
   * @param registry where the meters go
   * @param tags added to every meter
   * @return metrics to give to {@code Mps3Config.Builder.metrics}
   */
  public static MicrometerClientMetrics of(MeterRegistry registry, Iterable<Tag> tags) {
    return new MicrometerClientMetrics(
        Objects.requireNonNull(registry, "registry"),
        Tags.of(Objects.requireNonNull(tags, "tags")));
  }

  @Override
  public Recorder clientOpened(Client client) {
    Protocol protocol = client.protocol();
    Tags protocolTags = tags.and("protocol", protocol.name().toLowerCase(Locale.ROOT));
    Set<Client> clients = live.computeIfAbsent(protocol, p -> ConcurrentHashMap.newKeySet());
    clients.add(client);
    gauge("mps3.client.writes.pending", protocolTags, clients, Client::pendingWrites);
    gauge("mps3.client.subscriptions.backlog", protocolTags, clients, Client::subscriptionBacklog);
    return new MeterRecorder(protocolTags, () -> clients.remove(client));
  }

  /** A gauge of the sum over the live clients (registered once per name and tags). */
  private void gauge(
      String name, Tags gaugeTags, Set<Client> clients, ToIntFunction<Client> level) {
    Gauge.builder(name, clients, all -> all.stream().mapToInt(level).sum())
        .tags(gaugeTags)
        .strongReference(true)
        .register(registry);
  }

  /** The recorder of one client: meters tagged with its protocol. */
  private final class MeterRecorder implements Recorder {
    private final Tags protocolTags;
    private final Runnable onClose;

    MeterRecorder(Tags protocolTags, Runnable onClose) {
      this.protocolTags = protocolTags;
      this.onClose = onClose;
    }

    @Override
    public void operation(String manifest, Operation operation, Outcome outcome, long nanos) {
      Timer.builder("mps3.client.operations")
          .tags(protocolTags)
          .tag("manifest", manifest)
          .tag("operation", operation.tag())
          .tag("outcome", outcome.tag())
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void commit(String manifest, CommitEvent event) {
      Counter.builder("mps3.client.commits")
          .tags(protocolTags)
          .tag("manifest", manifest)
          .tag("event", event.tag())
          .register(registry)
          .increment();
    }

    @Override
    public void pollLag(String manifest, long millis) {
      Timer.builder("mps3.client.poll.lag")
          .tags(protocolTags)
          .tag("manifest", manifest)
          .register(registry)
          .record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void clientClosed() {
      onClose.run();
    }
  }
}
