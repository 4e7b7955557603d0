package io.mps3.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.internal.causal.CausalEntry;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalLog;
import io.mps3.internal.causal.CausalSettings;
import io.mps3.internal.causal.CausalWriteCheck;
import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.store.S3ObjectStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Manifests as the upstream store holds them, resolved by the library's own causal protocol code
 * ({@link CausalLog}) through the library's {@link S3ObjectStore} pointed at the upstream with the
 * gateway's own credentials. Read-only: never writes, never cleans up. Thread-safe.
 */
final class UpstreamManifests implements AutoCloseable {

  private final S3ObjectStore store;
  private final Clock clock;
  private final CausalSettings settings;

  UpstreamManifests(GatewayConfig.Upstream upstream, Clock clock) {
    this.store =
        S3ObjectStore.builder()
            .endpoint(upstream.endpoint())
            .region(upstream.region())
            .credentials(upstream.accessKeyId(), upstream.secretAccessKey())
            .pathStyle()
            .allowInsecureHttp() // the operator's endpoint, as the passthrough uses it
            .build();
    this.clock = clock;
    // Reading only: no adaptive clock (it is for writers), no autoclean (the gateway deletes
    // nothing of its own accord), and no window claims trusted: every window is replayed, as the
    // JavaScript client does, so the change check sees what every reader sees.
    this.settings = CausalSettings.readingOnly(false);
  }

  /**
   * The resolved state of causal manifest {@code manifest}, {@code {"files": {...}, ...}}: the log
   * listed now (whatever the change marker says), as a reader would resolve it.
   */
  ObjectNode causalState(String bucket, String manifest) {
    return resolve(store, bucket, manifest);
  }

  /**
   * The state a reader would resolve once the entry {@code entryKey} with {@code body} is in the
   * log: the newest, it becomes the base, and the entries of the 5 s before it are replayed on it.
   */
  CausalWrite causalStateWith(String bucket, String manifest, String entryKey, byte[] body) {
    // Entries are never rewritten: readers may hold the one there, and a window claim is bound
    // to its entries' ETags (design 0024). A resend of the same bytes is the same entry.
    GetResult there = store.get(bucket, entryKey).join();
    if (there instanceof GetResult.Found found && !Arrays.equals(found.object().body(), body)) {
      return new CausalWrite(
          CausalEntry.emptyState(), // not resolved: the write is refused
          "an entry is never rewritten, and " + entryKey + " holds other bytes");
    }
    CausalLog log = log(new PendingEntryStore(store, bucket, entryKey, body), bucket, manifest);
    ObjectNode state = log.relist(null).join().state();
    // The same log: the entries its resolution read are not read again.
    return new CausalWrite(state, CausalWriteCheck.problem(log, entryKey).join());
  }

  /**
   * A causal entry as readers would take it.
   *
   * @param state the state every reader replaying the whole window resolves (the JavaScript
   *     client's way); empty when the entry rewrites another, and no resolution was made
   * @param problem why readers would not all take the entry as that resolution did (it is dropped,
   *     rewrites an entry, or carries a false window claim), or null
   */
  record CausalWrite(ObjectNode state, @Nullable String problem) {}

  private ObjectNode resolve(ObjectStore through, String bucket, String manifest) {
    return log(through, bucket, manifest).relist(null).join().state();
  }

  /** Claims are not trusted (settings): every resolution replays the whole window. */
  private CausalLog log(ObjectStore through, String bucket, String manifest) {
    return new CausalLog(
        through,
        bucket,
        new CausalLayout(manifest),
        clock,
        settings,
        "gateway",
        new AtomicLong(),
        (key, reason) -> {});
  }

  @Override
  public void close() {
    store.close();
  }
}
