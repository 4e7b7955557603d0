package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The writing half of a {@link CausalLog}: an entry on top of a view (rewritten under a new key
 * when the store's clock says others would ignore it, or when it did not land), then the change
 * marker. State is the log's.
 */
final class CausalLogWriter {

  private final CausalLog l;

  /** The time of this writer's latest entry, landed or not. */
  private final AtomicLong latestAttempt = new AtomicLong(Long.MIN_VALUE);

  CausalLogWriter(CausalLog log) {
    this.l = log;
  }

  /** An entry written at {@code time}, on top of {@code base}. */
  record WrittenEntry(String key, long time, CausalView base) {}

  /** An entry being written: where it goes, what it holds, and what to redo it from. */
  private static final class Attempt {
    final CausalView view;
    final ObjectNode patch;
    final int rewrites;
    final CausalLog.EntryHook hook;
    final String key;
    final long time;
    final CausalEntry entry;
    final byte[] body;

    Attempt(
        CausalView view,
        ObjectNode patch,
        int rewrites,
        CausalLog.EntryHook hook,
        String key,
        long time,
        CausalEntry entry) {
      this.view = view;
      this.patch = patch;
      this.rewrites = rewrites;
      this.hook = hook;
      this.key = key;
      this.time = time;
      this.entry = entry;
      this.body = entry.encode();
    }
  }

  /** What reading back an entry whose PUT failed found. */
  private enum ReadBack {
    /** There, with its bytes, inside its window: it counts. */
    COUNTS,
    /** Missing, or where readers drop it: write it again. */
    WRITE_AGAIN,
    /** The read failed too. */
    UNKNOWN
  }

  CompletableFuture<WrittenEntry> writeEntry(
      CausalView view, ObjectNode patch, int rewrites, CausalLog.EntryHook hook) {
    // Strictly after every entry this writer has seen: entries of equal time are ordered by
    // session id, which could put this write before one it has seen (and lose it).
    long now = l.clock.millis() + l.offset.get();
    long time = Math.max(now, view.newestTime() + 1);
    // And after this writer's own latest entry, which its view may lack (a PUT whose outcome is
    // unknown, a listing that lags): else, after its clock stepped back or it learned a smaller
    // offset, its next write sorts before that entry and loses to it. Not after one a window
    // ahead of now: readers drop that entry, and following it would make this one skewed too.
    long own = latestAttempt.get();
    if (own < now + l.settings.window().toMillis()) {
      time = Math.max(time, own + 1);
    }
    latestAttempt.accumulateAndGet(time, Math::max);
    String key = l.layout.entryKey(time, l.session, l.counter.getAndIncrement());
    CausalEntry entry = CausalEntry.of(withClaim(view.state(), key, time, patch), patch);
    Attempt a = new Attempt(view, patch, rewrites, hook, key, time, entry);
    // Resent only while a copy would still land inside the window: a later copy would move the
    // LastModified of an entry that readers may already use out of it, and every reader would
    // then drop it (design 0015).
    PutOptions options =
        PutOptions.unconditional()
            .withContentType(PutOptions.JSON)
            .withResendWithin(l.settings.window().dividedBy(2));
    long[] sent = new long[1];
    CompletableFuture<PutOutcome> put =
        hook.beforePut(key)
            .thenCompose(
                ready -> {
                  sent[0] = l.clock.millis();
                  return l.store.put(l.bucket, key, a.body, options);
                });
    return put.handle((outcome, failure) -> failure)
        .thenCompose(
            failure ->
                failure == null ? written(a, put.join(), sent[0]) : afterFailure(a, failure));
  }

  /**
   * The state an entry carries: the view's, with this entry's window claim (design 0024) when this
   * client knows every entry of the window and replaying them changes nothing, and without any
   * claim the view carried over from its base otherwise. The view is not modified.
   */
  private ObjectNode withClaim(ObjectNode state, String key, long time, ObjectNode patch) {
    ObjectNode carried = state.objectNode();
    carried.setAll(state); // a shallow copy: the entry's encoding copies it whole
    carried.remove(WindowClaim.FIELD);
    if (!l.settings.windowClaims()) {
      return carried;
    }
    List<ListedEntry> window = l.recent.windowUnder(key, time, l.settings.window());
    if (window == null) {
      return carried;
    }
    List<ObjectNode> updates = new ArrayList<>(window.size());
    for (int i = window.size() - 1; i >= 0; i--) { // oldest first, as the replay
      ObjectNode update = l.entries.knownUpdate(window.get(i).key().objectKey());
      if (update == null) {
        return carried; // not read here (skipped under a claim, forgotten, or unreadable)
      }
      updates.add(update);
    }
    if (WindowClaim.changesNothing(state, updates, patch)) {
      WindowClaim claim = new WindowClaim(key, window.size(), WindowClaim.digest(window));
      carried.set(WindowClaim.FIELD, claim.toJson());
    }
    return carried;
  }

  private CompletableFuture<WrittenEntry> written(Attempt a, PutOutcome outcome, long sent) {
    Instant date = outcome instanceof PutOutcome.Written written ? written.serverDate() : null;
    String etag = outcome instanceof PutOutcome.Written written ? written.etag() : "";
    if (date == null) {
      return CompletableFuture.completedFuture(accepted(a, etag));
    }
    long received = l.clock.millis();
    long skew = date.toEpochMilli() - a.time;
    if (Math.abs(skew) < l.settings.window().toMillis()) {
      if (skew < lateMillis() || !l.settings.adaptiveClock() || a.rewrites >= 2) {
        return CompletableFuture.completedFuture(accepted(a, etag));
      }
      // Landed 2 s or more after its time: another writer's view (up to 3 s old) may miss it and
      // its next entry, more than 5 s after this one, be the base of every read, which replays no
      // further back: the write would be lost (design 0019). The same change again, on a fresh
      // view; this copy stays in the log (replaying a patch twice changes nothing).
      l.entries.remember(a.key, a.entry);
      l.learnOffset(date, sent, received); // nothing from a slow call (design 0008)
      return again(a);
    }
    l.entries.remember(a.key, a.entry);
    if (!l.settings.adaptiveClock() || a.rewrites >= 2) {
      throw new CausalLog.ClockSkewException(
          "the store's clock is "
              + skew
              + " ms from this writer's timestamp "
              + Instant.ofEpochMilli(a.time)
              + " (limit "
              + l.settings.window().toMillis()
              + " ms): other clients would ignore the write, so it was not acknowledged;"
              + " fix the clock, set a clock offset, or enable the adaptive clock");
    }
    l.learnOffset(date, sent, received);
    // The view was listed under the wrong offset, so it may miss entries near the true now: list
    // again before writing the entry where readers will see it.
    return again(a);
  }

  /**
   * A PUT that failed as unavailable may have landed, its answer lost. One GET tells: there with
   * its bytes and inside its window, it counts; missing (or outside its window, where readers drop
   * it), it is written again under a new key. When the GET fails too, so does the commit.
   */
  private CompletableFuture<WrittenEntry> afterFailure(Attempt a, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (!(cause instanceof ObjectStoreException e)
        || e.kind() != ObjectStoreException.Kind.UNAVAILABLE
        || a.rewrites >= 2) {
      return CompletableFuture.failedFuture(failure);
    }
    return l.store
        .get(l.bucket, a.key)
        .handle(
            (result, readFailure) -> readFailure != null ? ReadBack.UNKNOWN : readBack(a, result))
        .thenCompose(
            found ->
                switch (found) {
                  case COUNTS -> CompletableFuture.completedFuture(accepted(a, ""));
                  case WRITE_AGAIN -> again(a);
                  case UNKNOWN -> CompletableFuture.<WrittenEntry>failedFuture(failure);
                });
  }

  private ReadBack readBack(Attempt a, GetResult result) {
    if (result instanceof GetResult.Found found && Arrays.equals(found.object().body(), a.body)) {
      long landed = found.object().metadata().lastModified().toEpochMilli();
      // A GET's Last-Modified has whole seconds, cut down, where readers' LIST may have
      // milliseconds: a second of margin, so that no entry counts here that readers drop, or
      // that lands late enough for another writer's view to miss it (see written()).
      if (landed - a.time < lateMillis() - 1000
          && a.time - landed < l.settings.window().toMillis() - 1000) {
        return ReadBack.COUNTS;
      }
    }
    return ReadBack.WRITE_AGAIN;
  }

  /**
   * How long after its own time an entry lands late: the replay window (5 s) less the oldest view a
   * writer commits on (3 s). Another writer's view may then miss it (design 0019).
   */
  private long lateMillis() {
    return l.settings.window().minus(CausalManifest.LIST_FRESHNESS).toMillis();
  }

  /**
   * The entry counts: remembered as written, so this writer's next views include it.
   *
   * @param etag its ETag, or {@code ""} when unknown (its window claims then wait until a listing
   *     shows it)
   */
  private WrittenEntry accepted(Attempt a, String etag) {
    l.entries.remember(a.key, a.entry);
    l.recent.wrote(l.layout.parseEntryKey(a.key).orNull(), a.time, a.body.length, etag);
    return new WrittenEntry(a.key, a.time, a.view);
  }

  /** The same patch under a new key, on a view listed again. */
  private CompletableFuture<WrittenEntry> again(Attempt a) {
    return l.relist(a.view)
        .thenCompose(fresh -> writeEntry(fresh, a.patch, a.rewrites + 1, a.hook));
  }

  record Marker(@Nullable String etag, boolean adopted) {}

  CompletableFuture<Marker> writeMarker(CausalView view, String entryKey) {
    byte[] body = ("\"" + entryKey + "\"").getBytes(StandardCharsets.UTF_8);
    PutOptions options;
    if (view.markerEtag() == null) {
      options = PutOptions.ifAbsent();
    } else if (view.markerTrusted()) {
      options = PutOptions.ifMatch(view.markerEtag());
    } else {
      options = PutOptions.unconditional();
    }
    PutOptions json = options.withContentType(PutOptions.JSON);
    return l.store
        .put(l.bucket, l.layout.markerKey(), body, json)
        .thenCompose(
            outcome -> {
              if (outcome instanceof PutOutcome.Written written && json.conditional()) {
                return CompletableFuture.completedFuture(new Marker(written.etag(), true));
              }
              if (outcome instanceof PutOutcome.Written) {
                return CompletableFuture.completedFuture(new Marker(null, false));
              }
              // Another writer changed the marker since we looked: still signal our entry, but
              // do not adopt the marker, so the next read lists and sees theirs.
              return l.store
                  .put(
                      l.bucket,
                      l.layout.markerKey(),
                      body,
                      PutOptions.unconditional().withContentType(PutOptions.JSON))
                  .thenApply(ignored -> new Marker(null, false));
            })
        .exceptionally(
            failure -> {
              // The entry is written; a marker that failed (throttling) only delays other readers
              // until their periodic LIST. Our next read lists too.
              l.warnings.skipped(
                  l.layout.markerKey(), "change marker not written: " + failure.getMessage());
              return new Marker(null, false);
            });
  }
}
