package io.mps3;

import java.util.List;
import java.util.Objects;

/**
 * Options of a write: the manifests it goes to (default: the client's), and when its future
 * completes: once the bucket holds it (default), or as soon as this client sees it.
 *
 * <p>A write to several manifests stores each value once and adds one entry to each manifest; it is
 * atomic within each manifest, not across them.
 *
 * @since 0.1
 */
public final class WriteOptions {

  private static final WriteOptions DEFAULTS = new WriteOptions(List.of(), false);

  private final List<String> manifests;
  private final boolean local;

  private WriteOptions(List<String> manifests, boolean local) {
    this.manifests = manifests;
    this.local = local;
  }

  /** {@return the client's defaults: its manifest, acknowledged by the bucket} */
  public static WriteOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Writes to these manifests (in the client's bucket).
   *
   * @param manifestKeys the manifests' object keys; at least one, none null
   * @return options that write those manifests, acknowledged by the bucket
   * @throws IllegalArgumentException when no key is given
   */
  public static WriteOptions manifests(String... manifestKeys) {
    if (manifestKeys.length == 0) {
      throw new IllegalArgumentException("a write needs at least one manifest");
    }
    for (String key : manifestKeys) {
      Objects.requireNonNull(key, "manifest key");
    }
    return new WriteOptions(List.of(manifestKeys), false);
  }

  /**
   * The same options, completing as soon as this client sees the write (its reads and subscriptions
   * do at once), before the bucket holds it. A failure to store it afterwards is then reported to
   * the subscriptions' {@link DocumentListener#onError}, not to the caller.
   *
   * @return new options, to the same manifests
   */
  public WriteOptions acknowledgedLocally() {
    return new WriteOptions(manifests, true);
  }

  /** {@return the manifests to write, empty for the client's default} */
  public List<String> manifestKeys() {
    return manifests;
  }

  /** {@return whether the write completes before the bucket holds it} */
  public boolean isAcknowledgedLocally() {
    return local;
  }
}
