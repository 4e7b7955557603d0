package io.mps3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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

  private final @Nullable ObjectStore store;
  private final @Nullable Path localDirectory;
  private final long contentCacheBytes;
  private final String bucket;
  private final String manifest;
  private final Duration pollInterval;
  private final Duration clockOffset;
  private final boolean adaptiveClock;
  private final boolean versioned;
  private final boolean autoclean;
  private final Clock clock;
  private final Executor callbackExecutor;
  private final ObjectMapper mapper;
  private final @Nullable Path journal;
  private final Protocol protocol;
  private final int inlineLimit;
  private final int checkpointInterval;
  private final int transactionAttempts;
  private final Duration autocleanGrace;
  private final Set<String> explicit;

  private Mps3Config(Builder b) {
    this.store = b.store;
    this.localDirectory = b.localDirectory;
    this.contentCacheBytes = b.contentCacheBytes;
    this.bucket = b.bucket;
    this.manifest = b.manifest;
    this.pollInterval = b.pollInterval;
    this.clockOffset = b.clockOffset;
    this.adaptiveClock = b.adaptiveClock;
    this.versioned = b.versioned;
    this.autoclean = b.autoclean;
    this.clock = b.clock;
    this.callbackExecutor = b.callbackExecutor;
    this.mapper = b.mapper;
    this.journal = b.journal;
    this.protocol = b.protocol;
    this.inlineLimit = b.inlineLimit;
    this.checkpointInterval = b.checkpointInterval;
    this.transactionAttempts = b.transactionAttempts;
    this.autocleanGrace = b.autocleanGrace;
    this.explicit = Set.copyOf(b.explicit);
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.store = store;
    b.localDirectory = localDirectory;
    b.contentCacheBytes = contentCacheBytes;
    b.explicit.addAll(explicit);
    b.bucket = bucket;
    b.manifest = manifest;
    b.pollInterval = pollInterval;
    b.clockOffset = clockOffset;
    b.adaptiveClock = adaptiveClock;
    b.versioned = versioned;
    b.autoclean = autoclean;
    b.clock = clock;
    b.callbackExecutor = callbackExecutor;
    b.mapper = mapper;
    b.journal = journal;
    b.protocol = protocol;
    b.inlineLimit = inlineLimit;
    b.checkpointInterval = checkpointInterval;
    b.transactionAttempts = transactionAttempts;
    b.autocleanGrace = autocleanGrace;
    return b;
  }

  /** The store given to {@link Builder#store}, which its caller closes; empty otherwise. */
  public Optional<ObjectStore> store() {
    return Optional.ofNullable(store);
  }

  /** The local directory each client opens as its store; empty when a store was given. */
  public Optional<Path> localDirectory() {
    return Optional.ofNullable(localDirectory);
  }

  /** The most bytes of values a client keeps in memory to answer reads without the store. */
  public long contentCacheBytes() {
    return contentCacheBytes;
  }

  /** The bucket of values and manifests. */
  public String bucket() {
    return bucket;
  }

  /** The default manifest's key. */
  public String manifest() {
    return manifest;
  }

  /** How often subscriptions look for changes. */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** The initial clock offset (store clock minus local clock). */
  public Duration clockOffset() {
    return clockOffset;
  }

  /** Whether the clock offset is learnt from the store's {@code Date}. */
  public boolean adaptiveClockEnabled() {
    return adaptiveClock;
  }

  /** Whether values are stored as versions of one object (needs bucket versioning). */
  public boolean versionedModeEnabled() {
    return versioned;
  }

  /** Whether log entries no reader needs any more are deleted. */
  public boolean autocleanEnabled() {
    return autoclean;
  }

  /** The local clock. */
  public Clock clock() {
    return clock;
  }

  /** Where listener callbacks run. */
  public Executor callbackExecutor() {
    return callbackExecutor;
  }

  /** The JSON mapper of values. */
  public ObjectMapper objectMapper() {
    return mapper;
  }

  /** The directory of the offline journal, if one was configured. */
  public Optional<Path> journalDirectory() {
    return Optional.ofNullable(journal);
  }

  /** The protocol of every manifest of the client. */
  public Protocol protocol() {
    return protocol;
  }

  /** Strict protocol: the most bytes of JSON a value may have to travel inside its log entry. */
  public int inlineLimit() {
    return inlineLimit;
  }

  /** Strict protocol: how many entries apart checkpoints are. */
  public int checkpointInterval() {
    return checkpointInterval;
  }

  /** Strict protocol: how often a transaction runs before it fails with a conflict. */
  public int transactionAttempts() {
    return transactionAttempts;
  }

  /** How long objects no reader needs any more stay, for readers in flight, before autoclean. */
  public Duration autocleanGrace() {
    return autocleanGrace;
  }

  /** Options of an {@link Mps3Config}. Not thread-safe. */
  public static final class Builder {

    private @Nullable ObjectStore store;
    private @Nullable Path localDirectory;
    private long contentCacheBytes = 64L << 20;
    private final Set<String> explicit = new HashSet<>();
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

    private Builder() {}

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
      Objects.requireNonNull(interval, "pollInterval");
      if (interval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("pollInterval must be at least 10 ms, was " + interval);
      }
      this.pollInterval = interval;
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
      if (bytes < 0 || bytes > 256 * 1024) {
        throw new IllegalArgumentException("inlineLimit must be 0..262144 bytes, was " + bytes);
      }
      this.inlineLimit = bytes;
      explicit.add("inlineLimit");
      return this;
    }

    /**
     * Strict protocol: a checkpoint of the whole manifest follows every this many entries (default
     * 100). Opening a manifest reads at most this many entries plus 3 objects.
     */
    public Builder checkpointInterval(int entries) {
      if (entries < 2 || entries > 100_000) {
        throw new IllegalArgumentException(
            "checkpointInterval must be 2..100000 entries, was " + entries);
      }
      this.checkpointInterval = entries;
      explicit.add("checkpointInterval");
      return this;
    }

    /** Strict protocol: how often a transaction body runs before a conflict error (default 100). */
    public Builder transactionAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException(
            "transactionAttempts must be at least 1, was " + attempts);
      }
      this.transactionAttempts = attempts;
      explicit.add("transactionAttempts");
      return this;
    }

    /**
     * How long an object no reader needs any more stays before autoclean deletes it, for readers in
     * flight (default 5 minutes). Every client of a bucket should use the same value.
     */
    public Builder autocleanGrace(Duration grace) {
      Objects.requireNonNull(grace, "autocleanGrace");
      if (grace.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("autocleanGrace must be at least 1 s, was " + grace);
      }
      this.autocleanGrace = grace;
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
     * Journals every write in a local directory before acknowledging it (default: no journal), for
     * offline-first use. A write is then never lost once its call returns: while the store is
     * unreachable it stays pending (reads and subscriptions see it) and is sent again with backoff
     * (up to 30 s apart) until the store takes it; after a crash, the next client opened on the
     * same directory sends what the bucket does not have yet, in the original order, exactly once,
     * before its own writes. Costs an fsync of a small file per write and one per entry.
     *
     * <p>One live client per directory: opening a second one fails with {@link ErrorKind#INVALID}
     * (a lock file guards it across processes). Give each client (each process, each bucket) its
     * own directory. The directory is created if missing. Causal protocol only (for now): {@link
     * #build()} refuses a journal with the strict protocol.
     */
    public Builder journal(Path directory) {
      this.journal = Objects.requireNonNull(directory, "journal");
      return this;
    }

    /**
     * Validates and builds the configuration.
     *
     * @throws IllegalStateException when no store was given, or a journal with the strict protocol
     */
    public Mps3Config build() {
      if (store == null && localDirectory == null) {
        throw new IllegalStateException(
            "no store: call store(...) with an ObjectStore, or localDirectory(path)");
      }
      if (journal != null && protocol != Protocol.CAUSAL) {
        throw new IllegalStateException(
            "journal(" + journal + ") needs the causal protocol, not " + protocol);
      }
      List<String> ignored = new ArrayList<>();
      for (String setting : explicit) {
        boolean strictOnly = STRICT_ONLY.contains(setting);
        if (strictOnly != (protocol == Protocol.STRICT)) {
          ignored.add(setting + "()");
        }
      }
      if (!ignored.isEmpty()) {
        Collections.sort(ignored);
        throw new IllegalStateException(
            String.join(", ", ignored)
                + (ignored.size() == 1 ? " has" : " have")
                + " no effect with the "
                + protocol.name().toLowerCase(Locale.ROOT)
                + " protocol: remove "
                + (ignored.size() == 1 ? "it" : "them")
                + " or choose the other protocol");
      }
      return new Mps3Config(this);
    }

    /** Settings only the strict protocol uses; the others of {@code explicit} are causal-only. */
    private static final Set<String> STRICT_ONLY =
        Set.of("inlineLimit", "checkpointInterval", "transactionAttempts");
  }
}
