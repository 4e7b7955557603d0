package io.mps3.spi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ObjectStore#put write} did.
 *
 * @since 0.1
 */
public sealed interface PutOutcome {

  /** The write landed. */
  record Written(String etag, @Nullable String versionId, @Nullable Instant serverDate)
      implements PutOutcome {}

  /** The precondition did not hold; nothing was written. */
  record PreconditionFailed(@Nullable Instant serverDate) implements PutOutcome {}

  /**
   * A conditional write may or may not have landed: its response was lost and the store could not
   * tell afterwards. The caller must find out by reading, never guess.
   */
  record OutcomeUnknown(ObjectStoreException cause) implements PutOutcome {}
}
