package io.mps3.cli;

import io.mps3.Protocol;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStore;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds the manifests a bucket holds, for the console: it lists the bucket and names a manifest
 * {@code M} wherever an object has the shape of one of M's log objects, as {@code doctor
 * --manifest} and {@code repair} read them: causal {@code M@<time>_<session>_<counter>} (the
 * JavaScript client's pattern), strict {@code M/log/<n>}, {@code M/checkpoint/<n>} or {@code
 * M/head}. A manifest with no log yet is not found; the console adds the one its options name.
 */
final class ManifestFinder {

  /** A manifest and its protocol: one name may hold a log of each protocol. */
  record Found(String manifest, Protocol protocol) {}

  /** What a search found; truncated when the bucket held more keys than one search reads. */
  record Result(List<Found> manifests, boolean truncated) {}

  /** Enough for a console; a search reads at most this many pages of 1000 keys. */
  private static final int MAX_PAGES = 100;

  private static final Pattern CAUSAL =
      Pattern.compile("(.+)@[0-9a-z]{1,9}_[0-9a-z]+_[0-9a-z]{2}", Pattern.DOTALL);

  private static final Pattern STRICT =
      Pattern.compile("(.+)/(?:log/[0-9]{20}|checkpoint/[0-9]{20}|head)", Pattern.DOTALL);

  /** The library's own objects: the quarantine of {@code repair}, the probe of {@code doctor}. */
  private static final List<String> NOT_MANIFESTS = List.of(".mps3/", ".mps3-probe/");

  private ManifestFinder() {}

  /**
   * Lists the bucket and returns the manifests found, sorted by name, then protocol.
   *
   * @throws io.mps3.spi.ObjectStoreException when the store fails
   */
  static Result find(ObjectStore store, String bucket) {
    TreeSet<Found> found =
        new TreeSet<>(
            Comparator.comparing(Found::manifest).thenComparing(f -> f.protocol().name()));
    ListRequest request = ListRequest.prefix("");
    for (int page = 0; page < MAX_PAGES; page++) {
      ListPage listed;
      try {
        listed = store.list(bucket, request).join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException failure ? failure : e;
      }
      for (ObjectMetadata object : listed.objects()) {
        Found manifest = manifestOf(object.key());
        if (manifest != null) {
          found.add(manifest);
        }
      }
      String next = listed.nextContinuationToken();
      if (next == null) {
        return new Result(List.copyOf(found), false);
      }
      request = request.withContinuationToken(next);
    }
    return new Result(List.copyOf(found), true);
  }

  /** The manifest whose log object {@code key} is, or null. */
  static @Nullable Found manifestOf(String key) {
    for (String prefix : NOT_MANIFESTS) {
      if (key.startsWith(prefix)) {
        return null;
      }
    }
    Matcher strict = STRICT.matcher(key);
    if (strict.matches()) {
      return new Found(strict.group(1), Protocol.STRICT);
    }
    Matcher causal = CAUSAL.matcher(key);
    return causal.matches() ? new Found(causal.group(1), Protocol.CAUSAL) : null;
  }
}
