package io.mps3.testkit;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Wraps any store and injects faults, driven by a seed: a call fails before it reaches the store
 * (nothing happened), or after (it happened, the caller sees an error: for a conditional write, an
 * unknown outcome, as a real store reports it), or is delayed; a LIST may answer as an eventually
 * consistent listing does, without the objects written in the last moments. Faults can be switched
 * off to let the system settle.
 *
 * <p>Besides the seeded faults, {@link #partition()} cuts the wrapper off from the store until
 * {@link #heal()}: every call fails at once with a connection refused, whether seeded faults are
 * enabled or not. Give each client of a test its own wrapper over one shared store, and a partition
 * cuts off that one client.
 *
 * <p>The same seed gives the same sequence of decisions; with concurrent callers the order of
 * calls, hence which call gets which fault, may still vary. A plan without delayed listings rolls
 * exactly as it did before they existed, so old seeds replay. Thread-safe.
 */
public final class FaultInjectingObjectStore implements ObjectStore {

  /** The kinds of injected fault, counted for reports. */
  public enum Fault {
    /** Failed before reaching the store. */
    BEFORE,
    /** Reached the store, then the answer was replaced by a failure. */
    AFTER,
    /** Delayed. */
    LATENCY,
    /** A LIST answered without objects written less than {@link Plan#listingDelay()} before. */
    DELAYED_LISTING,
    /** Refused at once because the wrapper is partitioned from the store. */
    PARTITION
  }

  /**
   * How often each fault strikes.
   *
   * @param failBefore probability that a call fails before reaching the store
   * @param failAfter probability that a call that reached the store reports a failure
   * @param latency probability that a call is delayed
   * @param maxLatency the longest delay
   * @param delayedListing probability that a LIST answers from a stale view
   * @param listingDelay how stale: a stale LIST omits the objects whose LastModified is less than
   *     this before the listing's date, as if they were not yet in the listing index
   */
  public record Plan(
      double failBefore,
      double failAfter,
      double latency,
      Duration maxLatency,
      double delayedListing,
      Duration listingDelay) {

    /** A plan without delayed listings. */
    public Plan(double failBefore, double failAfter, double latency, Duration maxLatency) {
      this(failBefore, failAfter, latency, maxLatency, 0, Duration.ZERO);
    }

    /** This plan with delayed listings added. */
    public Plan withDelayedListing(double probability, Duration delay) {
      return new Plan(failBefore, failAfter, latency, maxLatency, probability, delay);
    }
  }

  private final ObjectStore delegate;
  private final Plan plan;
  private final Random random;
  // Filled once in the constructor and never changed after, so reading it needs no lock.
  private final Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
  private volatile boolean enabled = true;
  private volatile boolean partitioned;
  private volatile Predicate<String> targets = key -> true;

  private FaultInjectingObjectStore(ObjectStore delegate, Plan plan, long seed) {
    this.delegate = delegate;
    this.plan = plan;
    this.random = new Random(seed);
    for (Fault fault : Fault.values()) {
      counts.put(fault, new AtomicLong());
    }
  }

  /** Wraps a store. */
  public static FaultInjectingObjectStore wrap(ObjectStore delegate, Plan plan, long seed) {
    return new FaultInjectingObjectStore(delegate, plan, seed);
  }

  /**
   * Injects the seeded faults only into calls on keys (a LIST: its prefix) that match, e.g. the
   * objects of one step under test; others pass untouched and roll no dice. Default: every key.
   */
  public void target(Predicate<String> keys) {
    this.targets = Objects.requireNonNull(keys, "keys");
  }

  /** Stops (or resumes) injecting faults. */
  public void enable(boolean on) {
    this.enabled = on;
  }

  /**
   * Cuts this wrapper off from the store: from now on every call fails before reaching it, with an
   * {@link ObjectStoreException.Kind#UNAVAILABLE} connection refused, until {@link #heal()}. Calls
   * already under way finish normally. Independent of {@link #enable}.
   */
  public void partition() {
    this.partitioned = true;
  }

  /** Ends a {@link #partition()}: calls reach the store again. */
  public void heal() {
    this.partitioned = false;
  }

  /** Whether the wrapper is partitioned from the store. */
  public boolean partitioned() {
    return partitioned;
  }

  /** Faults injected so far, by kind. */
  public Map<Fault, Long> injected() {
    Map<Fault, Long> out = new EnumMap<>(Fault.class);
    for (Fault f : Fault.values()) {
      out.put(f, counter(f).get());
    }
    return out;
  }

  private synchronized double roll() {
    return random.nextDouble();
  }

  private synchronized long delayMillis() {
    return 1L + random.nextInt((int) Math.max(1, plan.maxLatency().toMillis()));
  }

  private <T> CompletableFuture<T> inject(
      String key, String what, Supplier<CompletableFuture<T>> call, Supplier<T> onAfter) {
    if (partitioned) {
      counter(Fault.PARTITION).incrementAndGet();
      return CompletableFuture.failedFuture(
          new ObjectStoreException(
              ObjectStoreException.Kind.UNAVAILABLE,
              "injected partition: connection refused (" + what + ")",
              null));
    }
    if (!enabled || !targets.test(key)) {
      return call.get();
    }
    if (roll() < plan.failBefore()) {
      counter(Fault.BEFORE).incrementAndGet();
      return CompletableFuture.failedFuture(injectedFailure(what + " (before the store)"));
    }
    boolean after = roll() < plan.failAfter();
    CompletableFuture<T> result;
    if (roll() < plan.latency()) {
      counter(Fault.LATENCY).incrementAndGet();
      result =
          CompletableFuture.supplyAsync(
                  () -> null,
                  CompletableFuture.delayedExecutor(delayMillis(), TimeUnit.MILLISECONDS))
              .thenCompose(ignored -> call.get());
    } else {
      result = call.get();
    }
    if (!after) {
      return result;
    }
    counter(Fault.AFTER).incrementAndGet();
    return result.handle(
        (value, error) -> {
          T replaced = onAfter.get();
          if (replaced != null) {
            return replaced;
          }
          throw injectedFailure(what + " (after the store)");
        });
  }

  private static ObjectStoreException injectedFailure(String what) {
    return new ObjectStoreException(
        ObjectStoreException.Kind.UNAVAILABLE, "injected fault: " + what, null);
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    return inject(key, "GET " + key, () -> delegate.get(bucket, key, options), () -> null);
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    return inject(
        key,
        "PUT " + key,
        () -> delegate.put(bucket, key, body, options),
        () ->
            options.conditional()
                ? new PutOutcome.OutcomeUnknown(injectedFailure("PUT " + key + " (answer lost)"))
                : null);
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return inject(key, "HEAD " + key, () -> delegate.head(bucket, key), () -> null);
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return inject(key, "DELETE " + key, () -> delegate.delete(bucket, key), () -> null);
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    boolean stale =
        enabled
            && targets.test(request.prefix())
            && plan.delayedListing() > 0
            && roll() < plan.delayedListing();
    CompletableFuture<ListPage> page =
        inject(
            request.prefix(),
            "LIST " + request.prefix(),
            () -> delegate.list(bucket, request),
            () -> null);
    return stale ? page.thenApply(this::withoutRecentObjects) : page;
  }

  /**
   * The page as a lagging listing index shows it: without the objects written less than {@link
   * Plan#listingDelay()} before the listing's date (the store's clock, so the wrapper needs no
   * clock of its own; the local clock when the store gives no date).
   */
  private ListPage withoutRecentObjects(ListPage page) {
    Instant date = page.serverDate() == null ? Instant.now() : page.serverDate();
    Instant visibleBefore = date.minus(plan.listingDelay());
    List<ObjectMetadata> visible = new ArrayList<>();
    for (ObjectMetadata object : page.objects()) {
      if (!object.lastModified().isAfter(visibleBefore)) {
        visible.add(object);
      }
    }
    if (visible.size() == page.objects().size()) {
      return page;
    }
    counter(Fault.DELAYED_LISTING).incrementAndGet();
    return new ListPage(visible, page.nextContinuationToken(), page.serverDate());
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "fault-injecting " + delegate;
  }

  private AtomicLong counter(Fault fault) {
    return Objects.requireNonNull(counts.get(fault), "every fault has a counter");
  }
}
