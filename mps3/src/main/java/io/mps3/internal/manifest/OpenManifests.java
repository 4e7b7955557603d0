package io.mps3.internal.manifest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The manifests a client has open, by key, and the release of those it no longer uses: a manifest
 * untouched for {@link #IDLE} that is quiet (no subscription, no unfinished write, nothing in
 * flight) is stopped and forgotten, and opened again if a call names it later. A client that reads
 * many manifests once therefore does not keep their state for its whole life. Thread-safe.
 */
public final class OpenManifests<M extends ManifestProtocol> {

  /** How long a manifest stays open after its last use. */
  public static final Duration IDLE = Duration.ofMinutes(5);

  private final Map<String, Open<M>> open = new ConcurrentHashMap<>();
  private final Function<String, M> opener;
  private final Clock clock;

  private static final class Open<M> {
    final M manifest;
    volatile long usedAt;

    Open(M manifest, long usedAt) {
      this.manifest = manifest;
      this.usedAt = usedAt;
    }
  }

  public OpenManifests(Function<String, M> opener, Clock clock) {
    this.opener = opener;
    this.clock = clock;
  }

  /** The manifest of a key, opened if needed, marked as used now. */
  public M get(String key) {
    long now = clock.millis();
    return open.compute(
            key,
            (k, old) -> {
              if (old == null) {
                return new Open<>(opener.apply(k), now);
              }
              old.usedAt = now;
              return old;
            })
        .manifest;
  }

  /**
   * Stops and forgets the manifests idle for {@link #IDLE} and quiet; the decision and the removal
   * are one atomic step per key, so a call that gets a manifest meanwhile keeps it open.
   */
  public int releaseIdle() {
    long now = clock.millis();
    List<M> released = new ArrayList<>();
    for (String key : List.copyOf(open.keySet())) {
      open.computeIfPresent(
          key,
          (k, o) -> {
            long idle = now - o.usedAt;
            if (idle >= IDLE.toMillis() && o.manifest.manifest().quiet()) {
              released.add(o.manifest);
              return null;
            }
            return o;
          });
    }
    released.forEach(m -> m.manifest().stop());
    return released.size();
  }

  /** How many manifests are open. */
  public int size() {
    return open.size();
  }

  /** Every open manifest. */
  public Collection<M> all() {
    List<M> all = new ArrayList<>();
    open.values().forEach(o -> all.add(o.manifest));
    return all;
  }
}
