package io.mps3;

/**
 * How a client's manifests order writes (PROTOCOL.md).
 *
 * @since 0.2
 */
public enum Protocol {
  /**
   * The default: works on every S3 API, even without conditional writes, and shares buckets with
   * the JavaScript MPS3 client. Each manifest is causally consistent; writes are acknowledged
   * locally first if asked, and offline writes are sent later.
   */
  CAUSAL,
  /**
   * Linearizable manifests, compare-and-set and transactions, one request per small write. Needs a
   * store whose {@code If-None-Match: *} creates are atomic; checked once per bucket.
   */
  STRICT
}
