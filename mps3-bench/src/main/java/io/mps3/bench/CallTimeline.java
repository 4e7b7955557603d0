package io.mps3.bench;

import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * When each call through it started and ended, to tell where an operation's time went: how many
 * rounds of calls ran one after another, how many calls were in flight at once, and how long the
 * client spent between one round's answers and the next round's first call (its own work: parsing,
 * replaying). A call's end is when the store's future completed, before the client's callbacks ran.
 *
 * <p>Closing it does nothing: the target that made the store closes it.
 *
 * <p>Thread-safe.
 */
final class CallTimeline implements ObjectStore {

  /** One call: its kind and key, and its start and end in nanoseconds since {@link #reset()}. */
  record Span(String kind, String key, long start, long end) {}

  private final ObjectStore delegate;
  private final String manifestKey;
  private final List<Span> spans = new ArrayList<>();
  private volatile long origin = System.nanoTime();

  /**
   * Records the calls made through {@code delegate}; GETs are told apart by {@code manifestKey}.
   */
  CallTimeline(ObjectStore delegate, String manifestKey) {
    this.delegate = delegate;
    this.manifestKey = manifestKey;
  }

  /** Forgets every call recorded and starts the clock again. */
  synchronized void reset() {
    spans.clear();
    origin = System.nanoTime();
  }

  /** The calls recorded since the last reset, by start. */
  synchronized List<Span> spans() {
    List<Span> copy = new ArrayList<>(spans);
    copy.sort(Comparator.comparingLong(Span::start));
    return copy;
  }

  /**
   * A one-line account of the calls since the last reset, ending at {@code endNanos} (the
   * operation's answer, same clock): each kind's first start and last end, the most calls in flight
   * at once, and the time no call was in flight (the client's own work).
   */
  String summary(long endNanos) {
    List<Span> all = spans();
    if (all.isEmpty()) {
      return "no calls";
    }
    StringBuilder out = new StringBuilder();
    // Rounds: a call that starts after every earlier call has ended begins a new round.
    long busyUntil = -1;
    long idle = 0;
    int rounds = 0;
    int round = 0;
    List<String> parts = new ArrayList<>();
    String kinds = "";
    long roundStart = 0;
    long roundEnd = 0;
    for (Span span : all) {
      if (span.start() >= busyUntil) {
        if (rounds > 0) {
          parts.add(round(kinds, round, roundStart, roundEnd));
        }
        idle += busyUntil < 0 ? span.start() : span.start() - busyUntil;
        rounds++;
        round = 0;
        kinds = "";
        roundStart = span.start();
        roundEnd = span.end();
      }
      round++;
      if (!kinds.contains(span.kind())) {
        kinds = kinds.isEmpty() ? span.kind() : kinds + "+" + span.kind();
      }
      roundEnd = Math.max(roundEnd, span.end());
      busyUntil = Math.max(busyUntil, span.end());
    }
    parts.add(round(kinds, round, roundStart, roundEnd));
    idle += Math.max(0, endNanos - origin - busyUntil);
    out.append(rounds)
        .append(" rounds: ")
        .append(String.join("; ", parts))
        .append(String.format(Locale.ROOT, "; most in flight %d", mostInFlight(all)))
        .append(String.format(Locale.ROOT, "; no call in flight %.1f ms", idle / 1e6));
    return out.toString();
  }

  private static String round(String kinds, int calls, long start, long end) {
    return String.format(
        Locale.ROOT, "%d %s at %.1f-%.1f ms", calls, kinds, start / 1e6, end / 1e6);
  }

  private static int mostInFlight(List<Span> spans) {
    List<long[]> events = new ArrayList<>();
    for (Span span : spans) {
      events.add(new long[] {span.start(), 1});
      events.add(new long[] {span.end(), -1});
    }
    events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int most = 0;
    for (long[] event : events) {
      now += (int) event[1];
      most = Math.max(most, now);
    }
    return most;
  }

  @Override
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    String kind =
        key.equals(manifestKey)
            ? "marker GET"
            : key.startsWith(manifestKey + "@") ? "entry GET" : "content GET";
    return track(kind, key, () -> delegate.get(bucket, key, options));
  }

  @Override
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    return track("PUT", key, () -> delegate.put(bucket, key, body, options));
  }

  @Override
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return track("HEAD", key, () -> delegate.head(bucket, key));
  }

  @Override
  public CompletableFuture<Void> delete(String bucket, String key) {
    return track("DELETE", key, () -> delegate.delete(bucket, key));
  }

  @Override
  public CompletableFuture<ListPage> list(String bucket, ListRequest request) {
    return track("LIST", request.prefix(), () -> delegate.list(bucket, request));
  }

  @Override
  public void close() {
    // The target owns the store.
  }

  private <T> CompletableFuture<T> track(
      String kind, String key, Supplier<CompletableFuture<T>> call) {
    long start = System.nanoTime() - origin;
    return call.get()
        .whenComplete(
            (result, e) -> {
              long end = System.nanoTime() - origin;
              synchronized (this) {
                spans.add(new Span(kind, key, start, end));
              }
            });
  }
}
