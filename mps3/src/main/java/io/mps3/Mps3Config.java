package io.mps3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

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
  private final Builder b;

  private Mps3Config(Builder b) {
    this.b = b;
  }

  /** {@return a builder with every option at its default} */
  public static Builder builder() {
    return new Builder();
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

  /** {@return how long unneeded objects stay before autoclean (default 5 minutes)} */
  public Duration autocleanGrace() {
    return b.autocleanGrace;
  }

  /** Options of an {@link Mps3Config}. Not thread-safe. */
  public static final class Builder implements Cloneable {

    private @Nullable ObjectStore store;
    private @Nullable Path localDirectory;
    private long contentCacheBytes = 64L << 20;
    private Set<String> explicit = new HashSet<>();
    private String bucket = "mps3";
    private String manifest = "manifest.json";
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration clockOffset = Duration.ZERO;
    private boolean adaptiveClock = true;
    private boolean versioned;
    private boolean autoclean = true;
    private Clock clock = Clock.systemUTC();
    private Executor callbackExecutor = ForkJoinPool.commonPool();
    private ObjectMapper mapper = new ObjectMapper();
    private @Nullable Path journal;
    private Protocol protocol = Protocol.CAUSAL;
    private int inlineLimit = 4096;
    private int checkpointInterval = 100;
    private int transactionAttempts = 100;
    private Duration autocleanGrace = Duration.ofMinutes(5);
    private Duration outageTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** A copy of every setting (all fields are immutable values but the set of explicit ones). */
    private Builder copy() {
      try {
        Builder copy = (Builder) super.clone();
        copy.explicit = new HashSet<>(explicit);
        return copy;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e); // Cloneable
      }
    }

    /**
     * The store (required): {@link ObjectStores} or an {@code S3ObjectStore}. The caller closes it.
     */
    public Builder store(ObjectStore objectStore) {
      this.store = Objects.requireNonNull(objectStore, "store");
      this.localDirectory = null;
      return this;
    }

    /**
     * The embedded default: buckets are directories under {@code root} ({@link
     * ObjectStores#localDirectory}). Each client opens its own store there and closes it.
     */
    public Builder localDirectory(Path root) {
      this.localDirectory = Objects.requireNonNull(root, "root");
      this.store = null;
      return this;
    }

    /**
     * The most bytes of values (as JSON) a client keeps in memory to answer reads without the store
     * (default 64 MiB); least recently used values go first.
     */
    public Builder contentCacheBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("contentCacheBytes must be 0 or more, was " + bytes);
      }
      this.contentCacheBytes = bytes;
      return this;
    }

    /** The bucket (default {@code mps3}). */
    public Builder bucket(String name) {
      this.bucket = ObjectKeys.requireValidBucket(name);
      return this;
    }

    /**
     * The default manifest's key (default {@code manifest.json}). Keep it plain (letters, digits,
     * {@code . _ - /}) if JavaScript clients share the bucket: theirs cannot read others.
     */
    public Builder manifest(String key) {
      ObjectKeys.requireValidKey(key);
      if (key.contains("@")) {
        throw new IllegalArgumentException("manifest key " + key + " must not contain '@'");
      }
      this.manifest = key;
      return this;
    }

    /** How often subscriptions look for changes (default 1 s): one conditional GET each. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = ConfigChecks.atLeast(interval, Duration.ofMillis(10), "pollInterval");
      return this;
    }

    /** The initial offset of this machine's clock to the store's (default 0). */
    public Builder clockOffset(Duration offset) {
      this.clockOffset = Objects.requireNonNull(offset, "clockOffset");
      explicit.add("clockOffset");
      return this;
    }

    /**
     * Turns off learning the clock offset from the store. A write whose timestamp is 5 s or more
     * from the store's clock then fails with {@link ErrorKind#INVALID} instead of being rewritten:
     * others would ignore it.
     */
    public Builder disableAdaptiveClock() {
      this.adaptiveClock = false;
      explicit.add("disableAdaptiveClock");
      return this;
    }

    /**
     * Stores each value as a new version of one object named after its key, instead of one object
     * per version ({@code key@uuid}). The bucket must have versioning enabled.
     */
    public Builder versionedMode() {
      this.versioned = true;
      return this;
    }

    /**
     * Keeps every log entry. By default a client deletes entries that no reader needs any more
     * (older than the replay window, plus five minutes of grace for readers in flight), and entries
     * of skewed clocks that every reader ignores; it never deletes anything else.
     */
    public Builder disableAutoclean() {
      this.autoclean = false;
      return this;
    }

    /**
     * Uses the strict protocol: linearizable manifests, {@code create}, {@code compareAndSet} and
     * {@code transaction}, one request per small write. The first use of a bucket checks that its
     * conditional creates are atomic, and fails with {@link ErrorKind#INVALID} if not. Buckets of
     * the JavaScript client cannot be read this way: it speaks the causal protocol.
     */
    public Builder strictProtocol() {
      return protocol(Protocol.STRICT);
    }

    /** The protocol of every manifest (default {@link Protocol#CAUSAL}). */
    public Builder protocol(Protocol p) {
      this.protocol = Objects.requireNonNull(p, "protocol");
      return this;
    }

    /**
     * Strict protocol: values of at most this many bytes of JSON travel inside the log entry
     * (default 4096), larger ones as content objects written first (one more request).
     */
    public Builder inlineLimit(int bytes) {
      this.inlineLimit = ConfigChecks.inRange(bytes, 0, 256 * 1024, "inlineLimit", "bytes");
      explicit.add("inlineLimit");
      return this;
    }

    /**
     * Strict protocol: a checkpoint of the whole manifest follows every this many entries (default
     * 100). Opening a manifest reads at most this many entries plus 3 objects.
     */
    public Builder checkpointInterval(int entries) {
      this.checkpointInterval =
          ConfigChecks.inRange(entries, 2, 100_000, "checkpointInterval", "entries");
      explicit.add("checkpointInterval");
      return this;
    }

    /** Strict protocol: how often a transaction body runs before a conflict error (default 100). */
    public Builder transactionAttempts(int attempts) {
      this.transactionAttempts =
          ConfigChecks.inRange(attempts, 1, Integer.MAX_VALUE, "transactionAttempts", "");
      explicit.add("transactionAttempts");
      return this;
    }

    /**
     * Strict protocol: how long a step that needs the store's answer retries through its failures
     * (default 30 s, as an S3 store's call timeout): a write whose create lost its answer reads its
     * slot until then before failing with {@link ErrorKind#OUTCOME_UNKNOWN}; a bucket's first-use
     * check retries rounds that failed with errors. Later writes wait behind an unanswered one.
     */
    public Builder outageTimeout(Duration timeout) {
      this.outageTimeout = ConfigChecks.atLeast(timeout, Duration.ofMillis(1), "outageTimeout");
      explicit.add("outageTimeout");
      return this;
    }

    /**
     * How long an object no reader needs any more stays before autoclean deletes it, for readers in
     * flight (default 5 minutes). Every client of a bucket should use the same value.
     */
    public Builder autocleanGrace(Duration grace) {
      this.autocleanGrace = ConfigChecks.atLeast(grace, Duration.ofSeconds(1), "autocleanGrace");
      return this;
    }

    /** The local clock (default: the system clock); tests pass a manual one. */
    public Builder clock(Clock localClock) {
      this.clock = Objects.requireNonNull(localClock, "clock");
      return this;
    }

    /** Where listener callbacks run (default: the common fork-join pool). */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
      return this;
    }

    /** The JSON mapper for values (default: a plain {@link ObjectMapper}). */
    public Builder objectMapper(ObjectMapper objectMapper) {
      this.mapper = Objects.requireNonNull(objectMapper, "objectMapper");
      return this;
    }

    /**
     * Journals every write in a local directory (created if missing) before acknowledging it
     * (default: no journal), for offline-first use. A write is then never lost once its call
     * returns: while the store is unreachable it stays pending (reads and subscriptions see it) and
     * is sent again with backoff (up to 30 s apart); after a crash, the next client opened on the
     * directory sends what the bucket lacks, in order, exactly once, before its own writes. Costs
     * an fsync of a small file per write and one per entry. One live client per directory (a second
     * fails with {@link ErrorKind#INVALID}); causal protocol only.
     */
    public Builder journal(Path directory) {
      this.journal = Objects.requireNonNull(directory, "journal");
      explicit.add("journal");
      return this;
    }

    /**
     * Validates and builds the configuration.
     *
     * @throws IllegalStateException when no store was given, or a setting the protocol ignores
     */
    public Mps3Config build() {
      if (store == null && localDirectory == null) {
        throw new IllegalStateException(
            "no store: call store(...) with an ObjectStore, or localDirectory(path)");
      }
      ConfigChecks.refuseIgnoredSettings(explicit, protocol);
      return new Mps3Config(copy());
    }
  }
}
