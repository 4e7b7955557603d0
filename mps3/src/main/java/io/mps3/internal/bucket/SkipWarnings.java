package io.mps3.internal.bucket;

/** Where a reader reports an object of the bucket it cannot use: skipped, reported once. */
@FunctionalInterface
public interface SkipWarnings {
  /** Called once per unusable object, with its key and why it was skipped. */
  void skipped(String objectKey, String reason);
}
