package io.mps3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.content.ExactJson;
import io.mps3.spi.ClientMetrics;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * The one {@link Mps3Config.Builder}: checks each option as it is set and holds it. A configuration
 * keeps a private copy of its builder and reads the fields directly. Not thread-safe.
 *
 * <p>The defaults below are the ones {@link Mps3Config.Builder}'s javadoc states; change both
 * together. The checks themselves live in {@link ConfigChecks}.
 */
final class DefaultMps3ConfigBuilder implements Mps3Config.Builder, Cloneable {

  @Nullable ObjectStore store;
  @Nullable Path localDirectory;
  long contentCacheBytes = 64L << 20;
  String bucket = "mps3";
  String manifest = "manifest.json";
  Duration pollInterval = Duration.ofSeconds(1);
  Duration clockOffset = Duration.ZERO;
  boolean adaptiveClock = true;
  boolean versioned;
  boolean autoclean = true;
  Clock clock = Clock.systemUTC();
  Executor callbackExecutor = ForkJoinPool.commonPool();
  ObjectMapper mapper = ExactJson.mapper();
  ClientMetrics metrics = ClientMetrics.none();
  @Nullable Path journal;
  Protocol protocol = Protocol.CAUSAL;
  int inlineLimit = 4096;
  int checkpointInterval = 100;
  int transactionAttempts = 100;
  Duration outageTimeout = Duration.ofSeconds(30);
  boolean changeFeed;
  Duration autocleanGrace = Duration.ofMinutes(5);

  /**
   * The protocol-specific options the caller set, by name, so that {@link
   * ConfigChecks#checkComplete} can name those the chosen protocol would ignore.
   */
  Set<String> explicit = new HashSet<>();

  /** A copy of every setting (all fields are immutable values but the set of explicit ones). */
  DefaultMps3ConfigBuilder copy() {
    try {
      DefaultMps3ConfigBuilder copy = (DefaultMps3ConfigBuilder) super.clone();
      copy.explicit = new HashSet<>(explicit);
      return copy;
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e); // Cloneable
    }
  }

  @Override
  public Mps3Config.Builder store(ObjectStore objectStore) {
    this.store = Objects.requireNonNull(objectStore, "store");
    this.localDirectory = null;
    return this;
  }

  @Override
  public Mps3Config.Builder localDirectory(Path root) {
    this.localDirectory = Objects.requireNonNull(root, "root");
    this.store = null;
    return this;
  }

  @Override
  public Mps3Config.Builder contentCacheBytes(long bytes) {
    this.contentCacheBytes = ConfigChecks.atLeast("contentCacheBytes", bytes, 0);
    return this;
  }

  @Override
  public Mps3Config.Builder bucket(String name) {
    this.bucket = ObjectKeys.requireValidBucket(name);
    return this;
  }

  @Override
  public Mps3Config.Builder manifest(String key) {
    this.manifest = ConfigChecks.manifestKey(key);
    return this;
  }

  @Override
  public Mps3Config.Builder pollInterval(Duration interval) {
    this.pollInterval = ConfigChecks.atLeast("pollInterval", interval, Duration.ofMillis(10));
    return this;
  }

  @Override
  public Mps3Config.Builder clockOffset(Duration offset) {
    this.clockOffset = Objects.requireNonNull(offset, "clockOffset");
    explicit.add("clockOffset");
    return this;
  }

  @Override
  public Mps3Config.Builder disableAdaptiveClock() {
    this.adaptiveClock = false;
    explicit.add("disableAdaptiveClock");
    return this;
  }

  @Override
  public Mps3Config.Builder versionedMode() {
    this.versioned = true;
    return this;
  }

  @Override
  public Mps3Config.Builder disableAutoclean() {
    this.autoclean = false;
    return this;
  }

  @Override
  public Mps3Config.Builder strictProtocol() {
    return protocol(Protocol.STRICT);
  }

  @Override
  public Mps3Config.Builder protocol(Protocol p) {
    this.protocol = Objects.requireNonNull(p, "protocol");
    return this;
  }

  @Override
  public Mps3Config.Builder inlineLimit(int bytes) {
    this.inlineLimit = ConfigChecks.within("inlineLimit", bytes, 0, 256 * 1024, "bytes");
    explicit.add("inlineLimit");
    return this;
  }

  @Override
  public Mps3Config.Builder checkpointInterval(int entries) {
    this.checkpointInterval =
        ConfigChecks.within("checkpointInterval", entries, 2, 100_000, "entries");
    explicit.add("checkpointInterval");
    return this;
  }

  @Override
  public Mps3Config.Builder transactionAttempts(int attempts) {
    this.transactionAttempts = ConfigChecks.atLeast("transactionAttempts", attempts, 1);
    explicit.add("transactionAttempts");
    return this;
  }

  @Override
  public Mps3Config.Builder outageTimeout(Duration timeout) {
    this.outageTimeout = ConfigChecks.atLeast("outageTimeout", timeout, Duration.ofMillis(1));
    explicit.add("outageTimeout");
    return this;
  }

  @Override
  public Mps3Config.Builder changeFeed(boolean on) {
    this.changeFeed = on;
    explicit.add("changeFeed");
    return this;
  }

  @Override
  public Mps3Config.Builder autocleanGrace(Duration grace) {
    this.autocleanGrace = ConfigChecks.atLeast("autocleanGrace", grace, Duration.ofSeconds(1));
    return this;
  }

  @Override
  public Mps3Config.Builder clock(Clock localClock) {
    this.clock = Objects.requireNonNull(localClock, "clock");
    return this;
  }

  @Override
  public Mps3Config.Builder callbackExecutor(Executor executor) {
    this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
    return this;
  }

  @Override
  public Mps3Config.Builder metrics(ClientMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  @Override
  public Mps3Config.Builder objectMapper(ObjectMapper objectMapper) {
    this.mapper = Objects.requireNonNull(objectMapper, "objectMapper");
    return this;
  }

  @Override
  public Mps3Config.Builder journal(Path directory) {
    this.journal = Objects.requireNonNull(directory, "journal");
    explicit.add("journal");
    return this;
  }

  @Override
  public Mps3Config build() {
    ConfigChecks.checkComplete(this);
    return new Mps3Config(copy());
  }
}
