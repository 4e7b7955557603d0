package io.mps3.internal.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.mps3.Absent;
import io.mps3.DocumentListener;
import io.mps3.ErrorKind;
import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Client;
import io.mps3.Mps3Config;
import io.mps3.Mps3Exception;
import io.mps3.Protocol;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.Transaction;
import io.mps3.Versioned;
import io.mps3.WriteOptions;
import io.mps3.internal.protocol.CausalContent;
import io.mps3.internal.protocol.CausalLayout;
import io.mps3.internal.protocol.CausalLog;
import io.mps3.internal.protocol.CausalSettings;
import io.mps3.spi.ObjectKeys;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one implementation of {@link Mps3AsyncClient}: routes each call to the {@link ManifestSync}
 * of the manifest it names, stores values as content objects, and owns the client's poll scheduler.
 * Thread-safe.
 */
public final class DefaultMps3Client implements Mps3AsyncClient {

  private static final System.Logger LOG = System.getLogger(DefaultMps3Client.class.getName());
  private static final AtomicInteger CLIENTS = new AtomicInteger();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Mps3Config config;
  private final String session = newSession();
  private final AtomicLong counter = new AtomicLong();
  private final ContentCache contents = new ContentCache(10_000);
  private final ScheduledExecutorService scheduler;
  private final Map<String, ManifestSync> manifests = new ConcurrentHashMap<>();
  private final Map<String, CausalLog> logs = new ConcurrentHashMap<>();
  private final CausalContent content;
  private final SyncMps3Client sync = new SyncMps3Client(this);
  private final @Nullable StrictManifests strict;
  private final @Nullable WriteJournal journal;
  private final Object writeOrder = new Object();
  private volatile boolean closed;

  private DefaultMps3Client(Mps3Config config) {
    this.config = config;
    this.journal = config.journalDirectory().map(WriteJournal::open).orElse(null);
    this.content =
        new CausalContent(
            config.store(),
            config.bucket(),
            config.versionedModeEnabled(),
            DefaultMps3Client::warn);
    int id = CLIENTS.incrementAndGet();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mps3-poll-" + id);
              t.setDaemon(true);
              return t;
            });
    this.strict =
        config.protocol() == Protocol.STRICT
            ? new StrictManifests(config, session, content, contents, scheduler)
            : null;
  }

  /** A client over a configuration. */
  public static DefaultMps3Client create(Mps3Config config) {
    DefaultMps3Client client = new DefaultMps3Client(Objects.requireNonNull(config, "config"));
    client.replayJournal();
    return client;
  }

  /** This client's session id, as it appears in entry keys. */
  public String session() {
    return session;
  }

  // -- reads ------------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Optional<JsonNode>> get(String key, ReadOptions options) {
    ObjectKeys.requireValidKey(key);
    StrictManifests strictSide = strict;
    if (strictSide != null) {
      return guard(() -> strictSide.manifest(options.manifestKey()).get(key));
    }
    return guard(() -> manifest(options.manifestKey()).get(key));
  }

  @Override
  public <T> CompletableFuture<Optional<T>> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return get(key, ReadOptions.defaults())
        .thenApply(
            value -> {
              if (value.isEmpty() || value.get().isNull()) {
                return Optional.<T>empty();
              }
              try {
                return Optional.ofNullable(config.objectMapper().treeToValue(value.get(), type));
              } catch (JsonProcessingException e) {
                throw new Mps3Exception(
                    ErrorKind.CORRUPT,
                    "value of "
                        + key
                        + " is not a "
                        + type.getSimpleName()
                        + ": "
                        + e.getOriginalMessage(),
                    e);
              }
            });
  }

  @Override
  public CompletableFuture<List<String>> keys(String prefix, ReadOptions options) {
    Objects.requireNonNull(prefix, "prefix");
    StrictManifests strictSide = strict;
    if (strictSide != null) {
      return guard(() -> strictSide.manifest(options.manifestKey()).keys(prefix));
    }
    return guard(() -> manifest(options.manifestKey()).keys(prefix));
  }

  @Override
  public CompletableFuture<Void> refresh() {
    StrictManifests strictSide = strict;
    if (strictSide != null) {
      return guard(() -> strictSide.manifest(null).refresh());
    }
    return guard(() -> manifest(null).refresh().thenApply(v -> null));
  }

  // -- writes -----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Void> put(String key, @Nullable Object value, WriteOptions options) {
    Map<String, @Nullable Object> one = new HashMap<>();
    one.put(key, value);
    return write(one, options);
  }

  @Override
  public CompletableFuture<Void> delete(String key, WriteOptions options) {
    Map<String, @Nullable Object> one = new HashMap<>();
    one.put(key, Absent.ABSENT);
    return write(one, options);
  }

  @Override
  public CompletableFuture<Void> putAll(Map<String, ?> values, WriteOptions options) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return write(new LinkedHashMap<>(values), options);
  }

  /**
   * Serialises the values, journals them (with a journal), shows them to this client's reads at
   * once, stores each value once as a content object, and adds one entry to each manifest.
   */
  private CompletableFuture<Void> write(Map<String, ?> values, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    Map<String, @Nullable JsonNode> nodes = nodes(values);
    StrictManifests strictSide = strict;
    if (strictSide != null) {
      if (options.isAcknowledgedLocally()) {
        throw new IllegalArgumentException(
            "acknowledgedLocally() needs the causal protocol: the strict protocol acknowledges a"
                + " write once the bucket holds it");
      }
      return guard(
          () -> {
            List<CompletableFuture<Boolean>> commits = new ArrayList<>();
            for (String manifest : targets(options)) {
              commits.add(strictSide.write(manifest, nodes, Map.of()));
            }
            return CompletableFuture.allOf(commits.toArray(new CompletableFuture<?>[0]));
          });
    }
    Map<String, byte[]> bytes = contentOf(nodes);
    return guard(
        () -> {
          List<String> targets = targets(options);
          CompletableFuture<Void> all;
          synchronized (writeOrder) { // the journal's order is the commit order
            JournalRecord record = journal == null ? null : journal.append(targets, nodes);
            if (record != null) {
              CrashPoints.reach("journaled");
            }
            ContentUpload upload = new ContentUpload(content, bytes);
            List<CompletableFuture<Void>> commits = new ArrayList<>();
            for (String manifest : targets) {
              commits.add(
                  manifest(manifest)
                      .write(
                          new PendingWrite(
                              nodes, upload, record, options.isAcknowledgedLocally())));
            }
            all = CompletableFuture.allOf(commits.toArray(new CompletableFuture<?>[0]));
          }
          if (options.isAcknowledgedLocally()) {
            all.exceptionally(
                e -> {
                  if (journal == null || Errors.translate(e).kind() != ErrorKind.CLOSED) {
                    LOG.log(
                        System.Logger.Level.WARNING,
                        "MPS3: a locally acknowledged write failed: " + e.getMessage());
                  } // else it stays in the journal: the next client sends it
                  return null;
                });
            return CompletableFuture.completedFuture(null);
          }
          return all;
        });
  }

  /** The JSON bytes of each value to store as content (deletes have none). */
  private Map<String, byte[]> contentOf(Map<String, @Nullable JsonNode> nodes) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    nodes.forEach(
        (key, node) -> {
          if (node == null) {
            return;
          }
          try {
            bytes.put(key, config.objectMapper().writeValueAsBytes(node));
          } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(
                "value of " + key + " cannot be written as JSON", ex);
          }
        });
    return bytes;
  }

  /**
   * Sends the writes a journal held when it was opened (a crash, or a close before the bucket had
   * them), in their order, before any new write; reads see them at once.
   */
  // Ignored futures: a replayed write's failure reaches subscribers; nobody else waits.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void replayJournal() {
    if (journal == null) {
      return;
    }
    synchronized (writeOrder) {
      for (JournalRecord record : journal.recovered()) {
        ContentUpload upload = new ContentUpload(content, contentOf(record.values));
        for (String manifest : record.manifests) {
          PendingWrite write = new PendingWrite(record.values, upload, record, true);
          write.tried.addAll(record.triedEntries(manifest));
          manifest(manifest).write(write);
        }
      }
    }
    if (!journal.recovered().isEmpty()) {
      LOG.log(
          System.Logger.Level.INFO,
          "MPS3: sending "
              + journal.recovered().size()
              + " journaled writes from "
              + journal.directory());
    }
  }

  /** Validates the keys and turns the values into JSON (null for {@link Absent#ABSENT}). */
  private Map<String, @Nullable JsonNode> nodes(Map<String, ?> values) {
    Map<String, @Nullable JsonNode> nodes = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = ObjectKeys.requireValidKey(e.getKey());
      Object value = e.getValue();
      nodes.put(
          key,
          value == Absent.ABSENT
              ? null
              : value == null ? NullNode.getInstance() : config.objectMapper().valueToTree(value));
    }
    return nodes;
  }

  private List<String> targets(WriteOptions options) {
    return options.manifestKeys().isEmpty() ? List.of(config.manifest()) : options.manifestKeys();
  }

  // -- strict protocol --------------------------------------------------------------------------

  @Override
  public CompletableFuture<Optional<Versioned>> getVersioned(String key, ReadOptions options) {
    ObjectKeys.requireValidKey(key);
    StrictManifests strictSide = strict("getVersioned");
    return guard(() -> strictSide.manifest(options.manifestKey()).getVersioned(key));
  }

  @Override
  public CompletableFuture<Boolean> create(
      String key, @Nullable Object value, WriteOptions options) {
    return compareAndSet(key, 0, value, options);
  }

  @Override
  public CompletableFuture<Boolean> compareAndSet(
      String key, long expectedVersion, @Nullable Object value, WriteOptions options) {
    Map<String, @Nullable Object> one = new HashMap<>();
    one.put(key, value);
    return compareAndSetAll(Map.of(key, expectedVersion), one, options);
  }

  @Override
  public CompletableFuture<Boolean> compareAndSetAll(
      Map<String, Long> expectedVersions, Map<String, ?> values, WriteOptions options) {
    Objects.requireNonNull(expectedVersions, "expectedVersions");
    Objects.requireNonNull(values, "values");
    StrictManifests strictSide = strict("compareAndSet");
    String manifest = oneManifest(options, "compareAndSet");
    Map<String, Long> expect = new LinkedHashMap<>();
    expectedVersions.forEach(
        (key, version) -> {
          ObjectKeys.requireValidKey(key);
          if (version == null || version < 0) {
            throw new IllegalArgumentException(
                "expected version of " + key + " must be 0 (absent) or more, was " + version);
          }
          expect.put(key, version);
        });
    Map<String, @Nullable JsonNode> nodes = nodes(values);
    return guard(() -> strictSide.write(manifest, nodes, expect));
  }

  @Override
  public <T> CompletableFuture<T> transaction(Function<Transaction, T> body, WriteOptions options) {
    Objects.requireNonNull(body, "body");
    StrictManifests strictSide = strict("transaction");
    String manifest = oneManifest(options, "transaction");
    return guard(() -> strictSide.transaction(manifest, body));
  }

  private StrictManifests strict(String operation) {
    StrictManifests strictSide = strict;
    if (strictSide == null) {
      throw new Mps3Exception(
          ErrorKind.INVALID,
          operation
              + " needs the strict protocol: build the client with"
              + " Mps3Config.builder().strictProtocol()",
          null);
    }
    return strictSide;
  }

  private @Nullable String oneManifest(WriteOptions options, String operation) {
    if (options.isAcknowledgedLocally()) {
      throw new IllegalArgumentException(operation + " cannot be acknowledged locally");
    }
    if (options.manifestKeys().size() > 1) {
      throw new IllegalArgumentException(
          operation + " runs in one manifest, not " + options.manifestKeys());
    }
    return options.manifestKeys().isEmpty() ? null : options.manifestKeys().get(0);
  }

  // -- subscriptions ----------------------------------------------------------------------------

  @Override
  public Subscription subscribe(String key, ReadOptions options, DocumentListener listener) {
    ObjectKeys.requireValidKey(key);
    Objects.requireNonNull(listener, "listener");
    checkOpen();
    StrictManifests strictSide = strict;
    if (strictSide != null) {
      return strictSide.manifest(options.manifestKey()).subscribe(key, false, listener);
    }
    return manifest(options.manifestKey()).subscribe(key, false, listener);
  }

  @Override
  public Subscription subscribePrefix(
      String prefix, ReadOptions options, DocumentListener listener) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(listener, "listener");
    checkOpen();
    StrictManifests strictSide = strict;
    if (strictSide != null) {
      return strictSide.manifest(options.manifestKey()).subscribe(prefix, true, listener);
    }
    return manifest(options.manifestKey()).subscribe(prefix, true, listener);
  }

  // -- plumbing ---------------------------------------------------------------------------------

  @Override
  public Mps3Client sync() {
    return sync;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    manifests.values().forEach(ManifestSync::stop);
    if (strict != null) {
      strict.stop();
    }
    scheduler.shutdownNow();
    if (journal != null) {
      journal.close();
    }
    if (config.storeOwned()) {
      config.store().close();
    }
  }

  private ManifestSync manifest(@Nullable String manifestKey) {
    String key = manifestKey == null ? config.manifest() : manifestKey;
    return manifests.computeIfAbsent(
        key,
        k ->
            new ManifestSync(
                k,
                log(k),
                content,
                contents,
                config.clock(),
                config.objectMapper(),
                config.callbackExecutor(),
                scheduler,
                config.pollInterval(),
                new CommitRecovery(k, journal, log(k), config.clock(), scheduler)));
  }

  private CausalLog log(String manifestKey) {
    return logs.computeIfAbsent(
        manifestKey,
        k -> {
          CausalSettings defaults = CausalSettings.defaults();
          CausalSettings settings =
              new CausalSettings(
                  defaults.window(),
                  defaults.lookahead(),
                  config.clockOffset(),
                  config.adaptiveClockEnabled(),
                  config.versionedModeEnabled(),
                  defaults.listEveryNthPoll(),
                  defaults.maxEntryBytes(),
                  config.autocleanEnabled(),
                  defaults.autocleanGrace());
          return new CausalLog(
              config.store(),
              config.bucket(),
              new CausalLayout(k),
              config.clock(),
              settings,
              session,
              counter,
              (objectKey, reason) ->
                  LOG.log(
                      System.Logger.Level.WARNING, "MPS3: skipping " + objectKey + ": " + reason));
        });
  }

  static void warn(String objectKey, String reason) {
    LOG.log(System.Logger.Level.WARNING, "MPS3: skipping " + objectKey + ": " + reason);
  }

  private void checkOpen() {
    if (closed) {
      throw new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", null);
    }
  }

  private <T> CompletableFuture<T> guard(java.util.function.Supplier<CompletableFuture<T>> call) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new Mps3Exception(ErrorKind.CLOSED, "the MPS3 client is closed", null));
    }
    try {
      return call.get()
          .handle(
              (value, error) -> {
                if (error != null) {
                  throw Errors.translate(error);
                }
                return value;
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.translate(e));
    }
  }

  private static String newSession() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      out.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return out.toString();
  }
}
