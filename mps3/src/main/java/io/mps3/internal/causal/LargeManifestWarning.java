package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Warns once, per manifest and client, when a causal manifest holds more keys than it should: every
 * entry carries the whole state (the JavaScript client needs it), so a put writes about 90 bytes
 * per key of the manifest, and a reader opening it reads that much per entry written in the last 5
 * s. Past {@value #KEYS} keys a put writes about 450 KB; a strict manifest writes about a kilobyte
 * whatever its size (README, "How large a causal manifest should grow"). Thread-safe.
 */
public final class LargeManifestWarning {

  /** The most keys a causal manifest should hold. */
  public static final int KEYS = 5_000;

  private static final System.Logger LOG = System.getLogger(LargeManifestWarning.class.getName());

  private final String manifestKey;
  private final AtomicBoolean warned = new AtomicBoolean();

  LargeManifestWarning(String manifestKey) {
    this.manifestKey = manifestKey;
  }

  /** Looks at a state this client resolved or wrote; logs the first time it is too large. */
  void check(ObjectNode state) {
    int keys = state.path("files").size();
    if (keys > KEYS && !warned.getAndSet(true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          () ->
              "causal manifest "
                  + manifestKey
                  + " holds "
                  + keys
                  + " keys, over the "
                  + KEYS
                  + " a causal manifest should hold: each put writes the whole state (about "
                  + (keys * 90L / 1000)
                  + " KB now), and opening it reads that per entry of the last 5 s;"
                  + " split it or use a strict manifest (README)");
    }
  }
}
