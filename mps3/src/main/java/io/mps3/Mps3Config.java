package io.mps3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.ClientMetrics;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The configuration of an MPS3 client. Immutable and thread-safe; made by {@link #builder()}.
 *
 * <pre>{@code
 * Mps3Config config = Mps3Config.builder()
 *     .localDirectory(Path.of("mps3-data"))   // or .store(S3ObjectStore.builder()...build())
 *     .bucket("chat")
 *     .build();
 * try (Mps3Client client = Mps3Client.create(config)) { ... }
 * }</pre>
 *
 * <p>A configuration holds settings only: it opens nothing. Each client opens what it uses (the
 * local directory store, the journal) and closes it again; several clients may be made from one
 * configuration. A setting is used by every client it is given to: the builder refuses settings the
 * chosen protocol would ignore.
 *
 * @since 0.1
 */
public final class Mps3Config {

  /** A private copy of the builder this configuration was built from: settings only. */
  private final DefaultMps3ConfigBuilder b;

  /** Package-private for {@link DefaultMps3ConfigBuilder#build()}, which passes its own copy. */
  Mps3Config(DefaultMps3ConfigBuilder b) {
    this.b = b;
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new DefaultMps3ConfigBuilder();
  }

  /** {@return a builder holding this configuration's options} */
  public Builder toBuilder() {
    return b.copy();
  }

  /** {@return the store given to {@link Builder#store} (its caller closes it); else empty} */
  public Optional<ObjectStore> store() {
    return Optional.ofNullable(b.store);
  }

  /** {@return the directory each client opens as its store; empty when a store was given} */
  public Optional<Path> localDirectory() {
    return Optional.ofNullable(b.localDirectory);
  }

  /** {@return the most bytes of values a client caches in memory (default 64 MiB)} */
  public long contentCacheBytes() {
    return b.contentCacheBytes;
  }

  /** {@return the bucket of values and manifests (default {@code mps3})} */
  public String bucket() {
    return b.bucket;
  }

  /** {@return the default manifest's key (default {@code manifest.json})} */
  public String manifest() {
    return b.manifest;
  }

  /** {@return how often subscriptions look for changes (default 1 s)} */
  public Duration pollInterval() {
    return b.pollInterval;
  }

  /** {@return the initial clock offset (store clock minus local clock)} */
  public Duration clockOffset() {
    return b.clockOffset;
  }

  /** {@return whether the clock offset is learnt from the store's {@code Date}} */
  public boolean adaptiveClockEnabled() {
    return b.adaptiveClock;
  }

  /** {@return whether values are stored as versions of one object (needs bucket versioning)} */
  public boolean versionedModeEnabled() {
    return b.versioned;
  }

  /** {@return whether log entries no reader needs any more are deleted} */
  public boolean autocleanEnabled() {
    return b.autoclean;
  }

  /** {@return the local clock (default: the system clock, UTC)} */
  public Clock clock() {
    return b.clock;
  }

  /** {@return where listener callbacks run (default: the common fork-join pool)} */
  public Executor callbackExecutor() {
    return b.callbackExecutor;
  }

  /** {@return where each client reports its metrics (default: {@link ClientMetrics#none()})} */
  public ClientMetrics metrics() {
    return b.metrics;
  }

  /** {@return the JSON mapper that converts values} */
  public ObjectMapper objectMapper() {
    return b.mapper;
  }

  /** {@return the directory of the offline journal; empty when none was configured} */
  public Optional<Path> journalDirectory() {
    return Optional.ofNullable(b.journal);
  }

  /** {@return the protocol of every manifest of the client} */
  public Protocol protocol() {
    return b.protocol;
  }

  /** {@return strict protocol: the most bytes of JSON a value carried in its log entry has} */
  public int inlineLimit() {
    return b.inlineLimit;
  }

  /** {@return strict protocol: how many entries apart checkpoints are (default 100)} */
  public int checkpointInterval() {
    return b.checkpointInterval;
  }

  /** {@return strict protocol: how often a transaction runs before a conflict (default 100)} */
  public int transactionAttempts() {
    return b.transactionAttempts;
  }

  /** {@return strict protocol: how long a step retries through store failures (default 30 s)} */
  public Duration outageTimeout() {
    return b.outageTimeout;
  }

  /** {@return strict protocol: whether the change feed is on (default off)} */
  public boolean changeFeedEnabled() {
    return b.changeFeed;
  }

  /** {@return how long unneeded objects stay before autoclean (default 5 minutes)} */
  public Duration autocleanGrace() {
    return b.autocleanGrace;
  }

  /**
   * Options of an {@link Mps3Config}, each at its default until set; {@link #build()} checks them
   * together. Made by {@link Mps3Config#builder()} and {@link Mps3Config#toBuilder()} only. Not
   * thread-safe. Every method throws {@link NullPointerException} when given null.
   */
  public sealed interface Builder permits DefaultMps3ConfigBuilder {

    /**
     * The store (this or {@link #localDirectory} is required): one of {@link ObjectStores} or an
     * {@code S3ObjectStore}. Clients use it but never close it: its caller does, after them.
     *
     * @param objectStore the store of every client made from this configuration
     * @return this builder, without a local directory
     */
    Builder store(ObjectStore objectStore);

    /**
     * The embedded store (this or {@link #store} is required): buckets are directories under {@code
     * root} ({@link ObjectStores#localDirectory}), created when missing. Each client opens its own
     * store there and closes it.
     *
     * @param root the directory that holds the buckets
     * @return this builder, without a store
     */
    Builder localDirectory(Path root);

    /**
     * The most bytes of values (as JSON) a client keeps in memory to answer reads without the store
     * (default 64 MiB); least recently used values go first, and 0 turns the cache off.
     *
     * @param bytes the cache's size, 0 or more
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    Builder contentCacheBytes(long bytes);

    /**
     * The bucket of values and manifests (default {@code mps3}).
     *
     * @param name an S3 bucket name: 3 to 63 of {@code a-z 0-9 . -}
     * @return this builder
     * @throws IllegalArgumentException naming what is wrong with {@code name}
     */
    Builder bucket(String name);

    /**
     * The default manifest's key (default {@code manifest.json}). Keep it plain (letters, digits,
     * {@code . _ - /}) if JavaScript clients share the bucket: theirs cannot read others.
     *
     * @param key an object key of 1 to 1024 bytes of UTF-8, without {@code @}
     * @return this builder
     * @throws IllegalArgumentException naming what is wrong with {@code key}
     */
    Builder manifest(String key);

    /**
     * How often subscriptions look for changes (default 1 s): a GET per manifest, or one LIST for
     * all with {@link #changeFeed}; a shorter interval delivers changes sooner for more requests.
     *
     * @param interval the time between polls
     * @return this builder
     * @throws IllegalArgumentException when {@code interval} is under 10 ms
     */
    Builder pollInterval(Duration interval);

    /**
     * Causal protocol: the initial offset of the store's clock to this machine's (default 0).
     * Unless {@link #disableAdaptiveClock} is called, the client then learns it from the store's
     * answers.
     *
     * @param offset the store's clock minus the local clock, of either sign
     * @return this builder
     */
    Builder clockOffset(Duration offset);

    /**
     * Causal protocol: turns off learning the clock offset from the store. A write whose timestamp
     * is 5 s or more from the store's clock then fails with {@link ErrorKind#INVALID} instead of
     * being rewritten: others would ignore it.
     *
     * @return this builder
     */
    Builder disableAdaptiveClock();

    /**
     * Stores each value as a new version of one object named after its key, instead of one object
     * per version ({@code key@uuid}). The bucket must have versioning enabled.
     *
     * @return this builder
     */
    Builder versionedMode();

    /**
     * Keeps every log entry and change marker; by default a client deletes those no reader needs
     * any more, after {@link #autocleanGrace} for readers in flight, and skewed clocks' entries.
     *
     * @return this builder
     */
    Builder disableAutoclean();

    /**
     * Uses the strict protocol: linearizable manifests, {@code create}, {@code compareAndSet} and
     * {@code transaction}, one request per small write. The first use of a bucket checks that its
     * conditional creates are atomic, and fails with {@link ErrorKind#INVALID} if not. Buckets of
     * the JavaScript client cannot be read this way: it speaks the causal protocol.
     *
     * @return this builder, as after {@code protocol(Protocol.STRICT)}
     */
    Builder strictProtocol();

    /**
     * The protocol of every manifest (default {@link Protocol#CAUSAL}, the JavaScript client's).
     *
     * @param p the protocol; {@link #build()} refuses the settings it would ignore
     * @return this builder
     */
    Builder protocol(Protocol p);

    /**
     * Strict protocol: values of at most this many bytes of JSON travel inside the log entry
     * (default 4096), larger ones as content objects written first (one more request).
     *
     * @param bytes the limit, from 0 (no value inline) to 262144
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is out of these bounds
     */
    Builder inlineLimit(int bytes);

    /**
     * Strict protocol: a checkpoint of the whole manifest follows every this many entries (default
     * 100). Opening a manifest reads at most this many entries plus 3 objects.
     *
     * @param entries the distance between checkpoints, from 2 to 100000
     * @return this builder
     * @throws IllegalArgumentException when {@code entries} is out of these bounds
     */
    Builder checkpointInterval(int entries);

    /**
     * Strict protocol: how often a transaction body runs before the transaction fails with {@link
     * ErrorKind#CONFLICT} (default 100).
     *
     * @param attempts the most runs, at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code attempts} is under 1
     */
    Builder transactionAttempts(int attempts);

    /**
     * Strict protocol: how long a step that needs the store's answer retries through its failures
     * (default 30 s, as an S3 store's call timeout): a write whose create lost its answer reads its
     * slot until then before failing with {@link ErrorKind#OUTCOME_UNKNOWN}; a bucket's first-use
     * check retries rounds that failed with errors. Later writes wait behind an unanswered one.
     *
     * @param timeout the time, at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException when {@code timeout} is under 1 ms
     */
    Builder outageTimeout(Duration timeout);

    /**
     * Strict protocol: one LIST per poll for all subscribed manifests (design 0017). Default off.
     *
     * @param on read the feed, and write a marker per commit (one PUT more): in writers too
     * @return this builder
     */
    Builder changeFeed(boolean on);

    /**
     * How long an object no reader needs any more stays before autoclean deletes it, for readers in
     * flight (default 5 minutes). Every client of a bucket should use the same value.
     *
     * @param grace the delay, at least 1 s
     * @return this builder
     * @throws IllegalArgumentException when {@code grace} is under 1 s
     */
    Builder autocleanGrace(Duration grace);

    /**
     * The local clock (default: the system clock, UTC).
     *
     * @param localClock the clock; tests pass a manual one
     * @return this builder
     */
    Builder clock(Clock localClock);

    /**
     * Where listener callbacks run (default: the common fork-join pool). A direct executor ({@code
     * Runnable::run}) is allowed: listeners never run under a library lock.
     *
     * @param executor the executor of every delivery
     * @return this builder
     */
    Builder callbackExecutor(Executor executor);

    /**
     * Where each client reports call latencies, commit attempts, poll lag, unsent writes and
     * subscription backlog (default: {@link ClientMetrics#none()}, which costs nothing). For
     * Micrometer: {@code MicrometerClientMetrics.of(registry)} of {@code io.mps3:mps3-micrometer}.
     *
     * @param metrics called once per client made from this configuration (see {@link
     *     ClientMetrics})
     * @return this builder
     */
    Builder metrics(ClientMetrics metrics);

    /**
     * The JSON mapper that converts values to and from Java objects and writes them as JSON
     * (default: an {@link ObjectMapper} reading numbers exactly, {@code 1.10} as a BigDecimal).
     *
     * @param objectMapper the mapper, shared by threads: do not reconfigure it afterwards
     * @return this builder
     */
    Builder objectMapper(ObjectMapper objectMapper);

    /**
     * Journals every write in a local directory (created if missing) before acknowledging it
     * (default: no journal), for offline-first use. A write is then never lost once its call
     * returns: while the store is unreachable it stays pending (reads and subscriptions see it) and
     * is sent again with backoff (up to 30 s apart); after a crash, the next client opened on the
     * directory sends what the bucket lacks, in order, exactly once, before its own writes. Costs
     * two fsyncs (a small file and its directory) per write and two per entry. One live client per
     * directory (a second fails with {@link ErrorKind#INVALID}); causal protocol only.
     *
     * @param directory the journal's directory
     * @return this builder
     */
    Builder journal(Path directory);

    /**
     * Checks the options together and builds a configuration of them; the builder stays usable.
     *
     * @return an immutable configuration of the options set so far
     * @throws IllegalStateException when no store was given, or naming each setting the protocol
     *     would ignore
     */
    Mps3Config build();
  }
}
