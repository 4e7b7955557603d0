package io.mps3.internal.manifest;

import io.mps3.ErrorKind;
import io.mps3.Mps3Exception;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The refusal of keys that a manifest's own objects reserve (design 0007). A write is checked
 * before anything is journaled or uploaded, so a refused write leaves no trace in the bucket.
 */
public final class ReservedKeys {

  private ReservedKeys() {}

  /** Why one manifest reserves a key, or null when it does not. */
  @FunctionalInterface
  public interface Rule {
    @Nullable String reason(String dbKey);
  }

  /**
   * The manifests a write is checked against: those it writes to, and the client's default
   * manifest, which the client reads whatever the write names (a key reserved there is lost there,
   * whichever manifest the write goes to). Manifests the client merely has open are not added: a
   * write's fate would then depend on what the client happened to read in the last minutes.
   */
  public static Set<String> checked(Collection<String> targets, String defaultManifest) {
    Set<String> manifests = new LinkedHashSet<>(targets);
    manifests.add(defaultManifest);
    return manifests;
  }

  /**
   * Throws {@link ErrorKind#INVALID} naming the first key of {@code keys} that one of {@code
   * manifests} reserves, with the manifest and the reason; returns when none is.
   */
  public static void refuse(
      Collection<String> manifests,
      Collection<String> keys,
      Function<String, Rule> ruleOf,
      String protocol) {
    for (String manifest : manifests) {
      Rule rule = ruleOf.apply(manifest); // one layout per manifest, not per key
      for (String key : keys) {
        String reason = rule.reason(key);
        if (reason != null) {
          throw new Mps3Exception(
              ErrorKind.INVALID,
              "key \""
                  + key
                  + "\" is reserved by manifest \""
                  + manifest
                  + "\" ("
                  + protocol
                  + " protocol): "
                  + reason
                  + "; write it under another name",
              null);
        }
      }
    }
  }
}
