package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.manifest.ManifestReadable;
import io.mps3.internal.manifest.Subscriber;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A strict manifest's state as subscriptions read it: a key's token is its slot. Under the lock.
 */
final class StrictReadable implements ManifestReadable {

  private final StrictManifest sync;

  StrictReadable(StrictManifest sync) {
    this.sync = sync;
  }

  @Override
  public @Nullable String token(String key) {
    StrictSlot slot = sync.state().slot(CausalLayout.fileUrl(sync.bucket, key));
    return slot == null ? Subscriber.ABSENT : "v" + slot.seq();
  }

  @Override
  public CompletableFuture<@Nullable JsonNode> value(String key) {
    String url = CausalLayout.fileUrl(sync.bucket, key);
    StrictSlot slot = sync.state().slot(url);
    return slot == null ? CompletableFuture.completedFuture(null) : sync.valueOf(url, slot);
  }

  @Override
  public Collection<String> keysUnder(String prefix) {
    String from = CausalLayout.fileUrl(sync.bucket, prefix);
    List<String> keys = new ArrayList<>();
    for (String url : sync.state().files().tailMap(from, true).keySet()) {
      if (!url.startsWith(from)) {
        break;
      }
      keys.add(url.substring(sync.bucket.length() + 1));
    }
    return keys;
  }
}
