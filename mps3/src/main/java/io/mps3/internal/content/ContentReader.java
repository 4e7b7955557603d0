package io.mps3.internal.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.causal.CausalView;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Reads the value a view maps a key to: from the content cache, else its content object. */
public final class ContentReader {

  private final String bucket;
  private final CausalContent content;
  private final ContentCache contents;
  private final ObjectMapper mapper;

  public ContentReader(
      String bucket, CausalContent content, ContentCache contents, ObjectMapper mapper) {
    this.bucket = bucket;
    this.content = content;
    this.contents = contents;
    this.mapper = mapper;
  }

  /** The value of {@code key} in view {@code v}; null when absent or unreadable (logged). */
  public CompletableFuture<@Nullable JsonNode> valueAt(CausalView v, String key) {
    String version = v.version(CausalLayout.fileUrl(bucket, key));
    return version == null ? CompletableFuture.completedFuture(null) : value(key, version);
  }

  /** Version {@code version} of {@code key}'s value; null when unreadable (logged). */
  public CompletableFuture<@Nullable JsonNode> value(String key, String version) {
    String url = CausalLayout.fileUrl(bucket, key);
    JsonNode cached = contents.get(url, version);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    // Parsed in the protocol layer, which never trusts a body of the bucket (issue #16).
    // Parsed in the protocol layer, which never trusts a body of the bucket (issue #16).
    return content
        .readJson(key, version, mapper)
        .thenApply(
            read -> {
              if (read == null) {
                return null;
              }
              contents.put(url, version, read.value(), read.size());
              return read.value();
            });
  }
}
