package io.mps3.internal.causal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * What a client knows of a manifest at one moment: the resolved state, the newest entry time it has
 * seen, and what it knows of the change marker. Immutable.
 *
 * @param state {@code {"files": {url: {"version": v, ...}}, ...}}
 * @param newestTime the newest entry time seen (a writer never goes behind it)
 * @param markerEtag the marker's ETag as last seen, or null (absent or not adopted)
 * @param markerTrusted whether an unchanged marker means an unchanged log
 * @param pollsSinceList reads answered by the marker alone since the last LIST
 * @param listedAt the local clock (millis) when the log was last listed
 */
public record CausalView(
    ObjectNode state,
    long newestTime,
    @Nullable String markerEtag,
    boolean markerTrusted,
    int pollsSinceList,
    long listedAt) {

  static CausalView opened(ObjectNode state, long newestTime, long listedAt) {
    return new CausalView(state, newestTime, null, false, 0, listedAt);
  }

  CausalView withMarker(@Nullable String etag, boolean trusted) {
    return new CausalView(state, newestTime, etag, trusted, 0, listedAt);
  }

  CausalView polled() {
    return new CausalView(
        state, newestTime, markerEtag, markerTrusted, pollsSinceList + 1, listedAt);
  }

  CausalView committed(ObjectNode newState, long time, @Nullable String etag, boolean adopted) {
    return new CausalView(
        newState,
        Math.max(newestTime, time),
        adopted ? etag : null,
        adopted,
        pollsSinceList,
        listedAt);
  }

  /** The version a file URL maps to, or null when the key is absent. */
  public @Nullable String version(String fileUrl) {
    JsonNode file = state.path("files").get(fileUrl);
    if (file == null || !file.isObject()) {
      return null;
    }
    JsonNode version = file.get("version");
    return version != null && version.isTextual() ? version.asText() : null;
  }

  /** The file URLs of the state. */
  public Iterable<String> fileUrls() {
    return () -> state.path("files").fieldNames();
  }
}
