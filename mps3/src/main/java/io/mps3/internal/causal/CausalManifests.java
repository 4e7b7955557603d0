package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.ErrorKind;
import io.mps3.Mps3Config;
import io.mps3.internal.bucket.SkipLog;
import io.mps3.internal.content.CausalContent;
import io.mps3.internal.content.ContentCache;
import io.mps3.internal.content.ContentUpload;
import io.mps3.internal.content.Values;
import io.mps3.internal.journal.CrashPoints;
import io.mps3.internal.journal.JournalRecord;
import io.mps3.internal.journal.WriteJournal;
import io.mps3.internal.manifest.Deliveries;
import io.mps3.internal.manifest.Errors;
import io.mps3.internal.manifest.Manifest;
import io.mps3.internal.manifest.Manifests;
import io.mps3.internal.manifest.OpenManifests;
import io.mps3.internal.manifest.ReservedKeys;
import io.mps3.internal.metrics.Metrics;
import io.mps3.spi.ObjectStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The manifests of a client of the causal protocol (PROTOCOL part A): one {@link CausalManifest}
 * each, the content objects their writes store, and the offline journal, if any.
 */
public final class CausalManifests implements Manifests {

  private static final System.Logger LOG = System.getLogger(CausalManifests.class.getName());

  private final Mps3Config config;
  private final ObjectStore store;
  private final String session;
  private final AtomicLong counter = new AtomicLong();
  private final CausalContent content;
  private final ContentCache contents;
  private final ScheduledExecutorService scheduler;
  private final Deliveries deliveries;
  private final @Nullable WriteJournal journal;
  private final OpenManifests<CausalManifest> manifests;
  private final Object writeOrder = new Object();
  private final Metrics metrics;

  public CausalManifests(
      Mps3Config config,
      ObjectStore store,
      String session,
      ContentCache contents,
      ScheduledExecutorService scheduler,
      Executor reads,
      Deliveries deliveries,
      @Nullable WriteJournal journal,
      Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.store = store;
    this.session = session;
    this.content =
        new CausalContent(
            store, config.bucket(), config.versionedModeEnabled(), SkipLog::warn, reads);
    this.contents = contents;
    this.scheduler = scheduler;
    this.deliveries = deliveries;
    this.journal = journal;
    this.manifests = new OpenManifests<>(this::open, config.clock());
  }

  @Override
  public Manifest manifest(String manifestKey) {
    return manifests.get(manifestKey).manifest();
  }

  @Override
  public int releaseIdle() {
    return manifests.releaseIdle();
  }

  @Override
  public int openCount() {
    return manifests.size();
  }

  @Override
  public Collection<Manifest> open() {
    return manifests.all().stream().map(m -> m.manifest()).toList();
  }

  private CausalManifest open(String k) {
    CausalLog log = log(k);
    return new CausalManifest(
        k,
        log,
        content,
        contents,
        config.clock(),
        config.objectMapper(),
        deliveries,
        scheduler,
        config.pollInterval(),
        new CommitRecovery(k, journal, log, config.clock(), scheduler),
        metrics);
  }

  /**
   * Journals the write (with a journal), shows it to this client's reads at once, stores each value
   * once as a content object, and adds one entry to each manifest. The journal's order is the
   * commit order, hence the lock; nothing under it calls a listener (see {@link Deliveries}).
   */
  @Override
  public CompletableFuture<Void> write(
      List<String> targets, Map<String, @Nullable JsonNode> nodes, boolean acknowledgedLocally) {
    ReservedKeys.refuse(
        ReservedKeys.checked(targets, config.manifest()),
        nodes.keySet(),
        manifest -> new CausalLayout(manifest)::reservedReason,
        "causal");
    Map<String, byte[]> bytes = Values.contentOf(nodes, config); // fails before journaling
    CompletableFuture<Void> all;
    JournalRecord record;
    ContentUpload upload;
    synchronized (writeOrder) {
      record = journal == null ? null : journal.append(targets, nodes);
      // Uploading starts once the write is journaled, so the bucket never holds content the
      // journal does not; the commit starts on the manifest's own thread (SerialChain).
      upload = new ContentUpload(content, bytes);
      List<CompletableFuture<Void>> commits = new ArrayList<>();
      for (String manifest : targets) {
        commits.add(
            manifests
                .get(manifest)
                .write(new PendingWrite(nodes, upload, record, acknowledgedLocally)));
      }
      all = CompletableFuture.allOf(commits.toArray(new CompletableFuture<?>[0]));
    }
    upload.begin(); // starts the upload outside the lock: a store may run it on this thread
    if (record != null) {
      CrashPoints.reach("journaled"); // outside the lock: a test's hook blocks this thread only
    }
    if (!acknowledgedLocally) {
      return all;
    }
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

  /**
   * Sends the writes a journal held when it was opened (a crash, or a close before the bucket had
   * them), in their order, before any new write; reads see them at once.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // a replayed write's failure reaches subscribers
  public void replayJournal() {
    if (journal == null) {
      return;
    }
    List<ContentUpload> uploads = new ArrayList<>();
    synchronized (writeOrder) {
      for (JournalRecord record : journal.recovered()) {
        ContentUpload upload = new ContentUpload(content, Values.contentOf(record.values, config));
        uploads.add(upload);
        for (String manifest : record.manifests) {
          PendingWrite write = new PendingWrite(record.values, upload, record, true);
          write.tried.addAll(record.triedEntries(manifest));
          manifests.get(manifest).write(write);
        }
      }
    }
    uploads.forEach(ContentUpload::begin); // outside the lock, as in write
    if (!journal.recovered().isEmpty()) {
      LOG.log(
          System.Logger.Level.INFO,
          "MPS3: sending "
              + journal.recovered().size()
              + " journaled writes from "
              + journal.directory());
    }
  }

  private CausalLog log(String manifestKey) {
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
            config.autocleanGrace(),
            defaults.windowClaims());
    return new CausalLog(
        store,
        config.bucket(),
        new CausalLayout(manifestKey),
        config.clock(),
        settings,
        session,
        counter,
        SkipLog::warn);
  }

  @Override
  public void stop() {
    manifests.all().forEach(m -> m.manifest().stop());
    if (journal != null) {
      journal.close();
    }
  }
}
