package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The writing half of a {@link CausalLog}: an entry on top of a view (rewritten when the store's
 * clock says others would ignore it), then the change marker. State is the log's.
 */
final class CausalLogWriter {

  private final CausalLog l;

  CausalLogWriter(CausalLog log) {
    this.l = log;
  }

  /** An entry written at {@code time}, on top of {@code base}. */
  record WrittenEntry(String key, long time, CausalView base) {}

  CompletableFuture<WrittenEntry> writeEntry(
      CausalView view, ObjectNode patch, int rewrites, CausalLog.EntryHook hook) {
    // Strictly after every entry this writer has seen: entries of equal time are ordered by
    // session id, which could put this write before one it has seen (and lose it).
    long time = Math.max(l.clock.millis() + l.offset.get(), view.newestTime() + 1);
    String key = l.layout.entryKey(time, l.session, l.counter.getAndIncrement());
    CausalEntry entry = CausalEntry.of(view.state(), patch);
    byte[] body = entry.encode();
    long[] sent = new long[1];
    return hook.beforePut(key)
        .thenCompose(
            ready -> {
              sent[0] = l.clock.millis();
              return l.store.put(
                  l.bucket, key, body, PutOptions.unconditional().withContentType(PutOptions.JSON));
            })
        .thenCompose(
            outcome -> {
              l.entries.remember(key, entry);
              Instant date =
                  outcome instanceof PutOutcome.Written written ? written.serverDate() : null;
              if (date == null) {
                l.recent.wrote(l.layout.parseEntryKey(key).orNull(), time, body.length);
                return CompletableFuture.completedFuture(new WrittenEntry(key, time, view));
              }
              long received = l.clock.millis();
              long skew = date.toEpochMilli() - time;
              if (Math.abs(skew) < l.settings.window().toMillis()) {
                l.recent.wrote(l.layout.parseEntryKey(key).orNull(), time, body.length);
                return CompletableFuture.completedFuture(new WrittenEntry(key, time, view));
              }
              if (!l.settings.adaptiveClock() || rewrites >= 2) {
                throw new CausalLog.ClockSkewException(
                    "the store's clock is "
                        + skew
                        + " ms from this writer's timestamp "
                        + Instant.ofEpochMilli(time)
                        + " (limit "
                        + l.settings.window().toMillis()
                        + " ms): other clients would ignore the write, so it was not acknowledged;"
                        + " fix the clock, set a clock offset, or enable the adaptive clock");
              }
              l.learnOffset(date, sent[0], received);
              // The view was listed under the wrong offset, so it may miss entries near the true
              // now: list again before writing the entry where readers will see it.
              return l.relist(view)
                  .thenCompose(fresh -> writeEntry(fresh, patch, rewrites + 1, hook));
            });
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
