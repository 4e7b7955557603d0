package io.mps3.gateway;

import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.strict.StrictLayout;
import org.jspecify.annotations.Nullable;

/**
 * A manifest's own object, told by its key alone with the library's layouts: a causal log entry
 * ({@code M@<T>_<S>_<C>}), a strict slot ({@code M/log/<n>}), a checkpoint ({@code
 * M/checkpoint/<n>}), a checkpoint's segment ({@code M/segment/<sha256>}, design 0016) or a head
 * ({@code M/head}). A causal change marker is the manifest's own name, which no key tells apart
 * from a document's: it is not one of these.
 *
 * @param kind which object
 * @param manifest the manifest's key
 * @param slot the slot of a strict entry or checkpoint, else 0
 */
record ManifestObject(Kind kind, String manifest, long slot) {

  /** Which of a manifest's objects. */
  enum Kind {
    CAUSAL_ENTRY,
    STRICT_SLOT,
    CHECKPOINT,
    HEAD,
    SEGMENT
  }

  /** The manifest object an object key names, or null for any other key. */
  static @Nullable ManifestObject of(String key) {
    String causal = CausalLayout.manifestOfEntry(key);
    if (causal != null) {
      return new ManifestObject(Kind.CAUSAL_ENTRY, causal, 0);
    }
    StrictLayout.Owned owned = StrictLayout.ownerOf(key);
    if (owned == null) {
      return null;
    }
    Kind kind =
        switch (owned.kind()) {
          case LOG -> Kind.STRICT_SLOT;
          case CHECKPOINT -> Kind.CHECKPOINT;
          case HEAD -> Kind.HEAD;
          case SEGMENT -> Kind.SEGMENT;
        };
    return new ManifestObject(kind, owned.manifest(), owned.slot());
  }
}
