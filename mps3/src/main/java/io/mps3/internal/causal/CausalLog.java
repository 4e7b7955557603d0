package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.bucket.SkipLog;
import io.mps3.internal.bucket.SkipWarnings;
import io.mps3.internal.causal.CausalLayout.EntryKey;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The causal protocol of one manifest (PROTOCOL.md part A) over an {@link ObjectStore}: content
 * objects, resolving the state from the log, and committing entries. No threads of its own and no
 * subscribers: the sync layer drives it.
 *
 * <p>Reading: the change marker is read with the ETag last seen, and only when it changed (or is
 * missing, or was written by a client whose marker never changes, or every Nth read) is the log
 * listed: one page from {@code now + 10 s}, newest first, entries whose key time is 5 s or more
 * from their LastModified dropped, then the newest readable entry is the base and the updates of
 * the entries less than 5 s before it are replayed, oldest first, the base's own included. These
 * bounds are the JavaScript client's (0.0.81), so both resolve a bucket to the same state. Entries
 * are fetched in parallel and each only once (they never change).
 *
 * <p>Writing: an entry's time is the writer's clock plus its offset, and at least 1 ms after the
 * newest entry seen (PROTOCOL.md allows equal, but equal times are ordered by session id, which can
 * put a write before one its writer had already seen; see design record 0002). When the store's
 * {@code Date} says the entry is 5 s or more off, the adaptive clock moves the offset and writes
 * the entry again under a new key; without it the commit fails with a {@link ClockSkewException}.
 * The marker is then written with {@code If-Match} on the ETag last seen: only when that holds does
 * the writer adopt the new ETag, so it never hides another writer's entry from itself.
 *
 * <p>Thread-safe; {@link #commit} calls of one manifest must not overlap (the sync layer serialises
 * them).
 */
public final class CausalLog {

  private static final System.Logger LOG = System.getLogger(CausalLog.class.getName());

  /** A write's timestamp was too far from the store's clock and the adaptive clock is off. */
  public static final class ClockSkewException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ClockSkewException(String message) {
      super(message);
    }
  }

  /**
   * Called with the key of each entry before it is sent (a rewrite by the adaptive clock gets a new
   * key and a second call): the offline journal records the key durably there, so a restarted
   * client can tell whether the entry landed. The entry is sent when the returned future completes.
   */
  @FunctionalInterface
  public interface EntryHook {
    /** Completes when the entry may be sent; a failure fails the commit before it is sent. */
    CompletableFuture<Void> beforePut(String entryKey);
  }

  private static final EntryHook NO_HOOK = key -> CompletableFuture.completedFuture(null);

  /** The longest marker body whose entry key is read (an object key is at most 1,024 bytes). */
  private static final int MAX_MARKER_BYTES = 2048;

  private static final String JS_MARKER_ETAG = "9d4568c009d203ab10e33ea9953a0264"; // MD5 of ""

  final ObjectStore store;
  final String bucket;
  final CausalLayout layout;
  final Clock clock;
  final CausalSettings settings;
  final String session;
  final AtomicLong counter;
  final SkipWarnings warnings;
  final AtomicLong offset = new AtomicLong();
  private final CausalEntryCheck entryCheck;

  /** The longest call whose {@code Date} tells the store's clock well enough to adopt it. */
  static final Duration MAX_LEARNING_ROUND_TRIP = Duration.ofSeconds(1);

  final RecentEntries recent = new RecentEntries();
  final CausalEntries entries;
  private final CausalReplay replay;
  private final LargeManifestWarning large;
  private final CausalLogWriter writer = new CausalLogWriter(this);

  /**
   * The log of one manifest.
   *
   * @param counter the writer's counter, shared by the manifests of one session
   */
  public CausalLog(
      ObjectStore store,
      String bucket,
      CausalLayout layout,
      Clock clock,
      CausalSettings settings,
      String session,
      AtomicLong counter,
      SkipWarnings warnings) {
    this.store = store;
    this.bucket = bucket;
    this.layout = layout;
    this.clock = clock;
    this.settings = settings;
    this.session = session;
    this.counter = counter;
    this.warnings = warnings;
    this.entries = new CausalEntries(store, bucket, settings.autoclean(), new SkipLog(warnings));
    this.replay = new CausalReplay(entries, settings.window(), settings.windowClaims());
    this.large = new LargeManifestWarning(layout.manifestKey());
    this.offset.set(settings.clockOffset().toMillis());
    this.entryCheck = new CausalEntryCheck(store, bucket, layout, settings.window());
  }

  /** Tells whether an entry this writer tried to write is in the log and visible to readers. */
  public CausalEntryCheck entryCheck() {
    return entryCheck;
  }

  /** The bucket of this log. */
  public String bucket() {
    return bucket;
  }

  /** The current clock offset in milliseconds (store clock minus local clock, as learnt). */
  public long clockOffsetMillis() {
    return offset.get();
  }

  // -- reading ----------------------------------------------------------------------------------

  /**
   * Brings a view up to date: one conditional GET of the marker, and a LIST and the new entries'
   * GETs when something changed.
   *
   * @param previous the last view, or null to open the manifest
   */
  public CompletableFuture<CausalView> refresh(@Nullable CausalView previous) {
    return read(previous, false);
  }

  /**
   * Reads the marker and lists the log whatever the marker says: what a writer needs before it
   * commits on an old view, since a writer whose marker write failed leaves the marker unchanged.
   */
  public CompletableFuture<CausalView> relist(@Nullable CausalView previous) {
    return read(previous, true);
  }

  private CompletableFuture<CausalView> read(@Nullable CausalView previous, boolean mustList) {
    GetOptions options =
        previous != null && previous.markerEtag() != null
            ? GetOptions.ifNoneMatch(previous.markerEtag())
            : GetOptions.latest();
    return store
        .get(bucket, layout.markerKey(), options)
        .thenCompose(
            marker -> {
              if (!mustList
                  && marker instanceof GetResult.NotModified
                  && previous != null
                  && previous.markerTrusted()
                  && previous.pollsSinceList() + 1 < settings.listEveryNthPoll()) {
                return CompletableFuture.completedFuture(previous.polled());
              }
              String etag =
                  marker instanceof GetResult.Found found
                      ? found.object().metadata().etag()
                      : marker instanceof GetResult.NotModified && previous != null
                          ? previous.markerEtag()
                          : null;
              boolean trusted = etag != null && !etag.equals(JS_MARKER_ETAG);
              // The named entry's GET first, then the LIST: when the listing is resolved, the
              // entry is at hand, and its window claim is looked at before any other entry is read.
              if (marker instanceof GetResult.Found found) {
                prefetchNamedEntry(found.object().body());
              }
              return resolve(previous).thenApply(view -> view.withMarker(etag, trusted));
            });
  }

  private CompletableFuture<CausalView> resolve(@Nullable CausalView previous) {
    return resolve(previous, settings.adaptiveClock());
  }

  /**
   * Starts the GET of the entry a changed marker names (this client's markers hold the newest
   * entry's key, A3), beside the LIST: that entry is almost always the base the LIST will show, so
   * a reader that finds one new entry waits for the LIST and that GET at once instead of one after
   * the other. The LIST still decides what counts: an entry it does not show is not used, so a
   * marker naming anything else (the JavaScript client's {@code ""}, garbage, an entry skewed out)
   * costs at most that one GET. Parsed without JSON: writers put the key between quotes unescaped.
   */
  private void prefetchNamedEntry(byte[] body) {
    if (body.length < 2 || body.length > MAX_MARKER_BYTES || body[0] != '"') {
      return;
    }
    if (body[body.length - 1] != '"') {
      return;
    }
    String named = new String(body, 1, body.length - 2, StandardCharsets.UTF_8);
    if (layout.parseEntryKey(named) instanceof Parsed.Valid<EntryKey>) {
      entries.prefetch(named);
    }
  }

  /**
   * Lists the log from the lookahead on and resolves it. The listing starts at the local time plus
   * the offset, so a clock behind by more than the lookahead would hide every newer entry until
   * this client wrote (a watcher never does): with the adaptive clock on, a listing whose {@code
   * Date} is 5 s or more off sets the offset, and the log is listed again once.
   */
  private CompletableFuture<CausalView> resolve(@Nullable CausalView previous, boolean adapt) {
    long listedAt = clock.millis();
    long now = listedAt + offset.get();
    String startAfter = layout.startAfter(now + settings.lookahead().toMillis());
    List<ListedEntry> listed = new ArrayList<>();
    List<Instant> dates = new ArrayList<>(1);
    return listFrom(
            ListRequest.prefix(layout.entryPrefix()).withStartAfter(startAfter), listed, dates)
        .thenCompose(
            ignored -> {
              Instant date = dates.isEmpty() ? null : dates.get(0);
              if (adapt && date != null) {
                long received = clock.millis();
                if (Math.abs(date.toEpochMilli() - (received + offset.get()))
                    >= settings.window().toMillis()) {
                  learnOffset(date, listedAt, received);
                  return resolve(previous, false);
                }
              }
              return resolveListed(recent.withSeen(listed, settings.window()), previous, listedAt);
            });
  }

  /** The log as a reader lists it now: valid entries, newest first; no offset is learnt. */
  CompletableFuture<List<ListedEntry>> listLog() {
    long now = clock.millis() + offset.get();
    String startAfter = layout.startAfter(now + settings.lookahead().toMillis());
    List<ListedEntry> listed = new ArrayList<>();
    return listFrom(
            ListRequest.prefix(layout.entryPrefix()).withStartAfter(startAfter),
            listed,
            new ArrayList<>())
        .thenApply(ignored -> listed);
  }

  /**
   * As the JavaScript client: the offset is the {@code Date} (whole seconds) plus the round trip;
   * never from a call over {@link #MAX_LEARNING_ROUND_TRIP}, whose retries (its {@code Date} is its
   * last attempt's) would pass for skew and stamp later entries seconds off for readers.
   */
  void learnOffset(Instant date, long sent, long received) {
    if (received - sent > MAX_LEARNING_ROUND_TRIP.toMillis()) {
      return;
    }
    long learnt = date.toEpochMilli() - received + (received - sent);
    long before = offset.getAndSet(learnt);
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> "manifest " + layout.manifestKey() + ": clock offset " + before + " -> " + learnt);
  }

  private CompletableFuture<Void> listFrom(
      ListRequest request, List<ListedEntry> into, List<Instant> dates) {
    return store
        .list(bucket, request)
        .thenCompose(
            page -> {
              if (dates.isEmpty() && page.serverDate() != null) {
                dates.add(page.serverDate());
              }
              collect(page, into);
              String token = page.nextContinuationToken();
              boolean pastWindow =
                  !into.isEmpty()
                      && into.get(into.size() - 1).key().time()
                          < into.get(0).key().time() - settings.window().toMillis();
              return token == null || pastWindow
                  ? CompletableFuture.completedFuture(null)
                  : listFrom(request.withContinuationToken(token), into, dates);
            });
  }

  private void collect(ListPage page, List<ListedEntry> into) {
    long window = settings.window().toMillis();
    long graceEnd = clock.millis() + offset.get() - settings.autocleanGrace().toMillis();
    for (ObjectMetadata object : page.objects()) {
      Parsed<EntryKey> parsed = layout.parseEntryKey(object.key());
      if (parsed instanceof Parsed.Invalid<EntryKey> invalid) {
        // A user's object named like the manifest, or garbage: never ours to touch (not cleaned).
        entries.skippedOnce(object.key(), invalid.reason());
        continue;
      }
      EntryKey key = ((Parsed.Valid<EntryKey>) parsed).value();
      // Exactly the JavaScript client's rule (strict < 5000 ms), so both drop the same entries.
      long skew = Math.abs(key.time() - object.lastModified().toEpochMilli());
      if (skew >= window) {
        entries.skippedOnce(
            object.key(), "written " + skew + " ms away from its timestamp (clock skew)");
        if (object.lastModified().toEpochMilli() < graceEnd) {
          entries.clean(object.key());
        }
        continue;
      }
      if (!into.isEmpty()
          && key.time() <= into.get(0).key().time() - window
          && key.time() < graceEnd - window) {
        entries.clean(object.key()); // no reader needs it: the newest entry carries its state
      }
      if (object.size() > settings.maxEntryBytes()) {
        entries.skippedOnce(object.key(), "entry of " + object.size() + " bytes is over the limit");
        continue;
      }
      into.add(new ListedEntry(key, object));
    }
    // Servers list in UTF-8 or UTF-16 order; entry keys are ASCII, so both are newest first.
  }

  private CompletableFuture<CausalView> resolveListed(
      List<ListedEntry> listed, @Nullable CausalView previous, long listedAt) {
    long newest = previous == null ? 0 : previous.newestTime();
    if (!listed.isEmpty()) {
      newest = Math.max(newest, listed.get(0).key().time());
    }
    long newestSeen = newest;
    return replay
        .state(listed)
        .thenApply(
            state -> {
              large.check(state);
              return CausalView.opened(state, newestSeen, listedAt);
            });
  }

  // -- writing ----------------------------------------------------------------------------------

  /**
   * Writes an entry that applies {@code patch} on top of {@code view}, then the change marker.
   *
   * @return the view with the entry applied
   * @throws ClockSkewException (in the future) when the entry's time is 5 s or more from the
   *     store's clock and the adaptive clock is off
   */
  public CompletableFuture<CausalView> commit(CausalView view, ObjectNode patch) {
    return commit(view, patch, NO_HOOK);
  }

  /**
   * As {@link #commit(CausalView, ObjectNode)}, calling {@code hook} with each entry key before the
   * entry is sent.
   */
  public CompletableFuture<CausalView> commit(CausalView view, ObjectNode patch, EntryHook hook) {
    return writer
        .writeEntry(view, patch, 0, hook)
        .thenCompose(
            written ->
                writer
                    .writeMarker(written.base(), written.key())
                    .thenApply(
                        marker -> {
                          ObjectNode state =
                              (ObjectNode) JsonMergePatch.apply(written.base().state(), patch);
                          large.check(state);
                          return written
                              .base()
                              .committed(state, written.time(), marker.etag(), marker.adopted());
                        }));
  }
}
