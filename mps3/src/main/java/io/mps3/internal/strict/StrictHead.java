package io.mps3.internal.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.bucket.BucketJson;
import io.mps3.internal.bucket.Parsed;

/** The head hint {@code {"checkpoint": n}} of a strict manifest (PROTOCOL.md B1). */
public final class StrictHead {

  private StrictHead() {}

  /**
   * The checkpoint the head object {@code key} names: invalid, with the reason, when its body is
   * anything but a slot number in range (readers then read from the first entry).
   */
  public static Parsed<Long> parse(String key, byte[] body) {
    return BucketJson.readObject(key, body)
        .then(
            root -> {
              JsonNode n = root.path("checkpoint");
              if (n.isIntegralNumber()
                  && n.canConvertToLong()
                  && n.asLong() >= 0
                  && n.asLong() <= StrictLayout.MAX_SLOT) {
                return Parsed.valid(n.asLong());
              }
              return Parsed.invalid(
                  key, "no checkpoint number in range (0.." + StrictLayout.MAX_SLOT + ")");
            });
  }
}
