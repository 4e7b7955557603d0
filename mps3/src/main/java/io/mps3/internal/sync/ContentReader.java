package io.mps3.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mps3.internal.protocol.CausalContent;
import io.mps3.internal.protocol.CausalLayout;
import io.mps3.internal.protocol.CausalView;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Reads the value a view maps a key to: from the content cache, else its content object. */
final class ContentReader {

  private static final System.Logger LOG = System.getLogger(ContentReader.class.getName());

  private final String bucket;
  private final CausalContent content;
  private final ContentCache contents;
  private final ObjectMapper mapper;

  ContentReader(String bucket, CausalContent content, ContentCache contents, ObjectMapper mapper) {
    this.bucket = bucket;
    this.content = content;
    this.contents = contents;
    this.mapper = mapper;
  }

  /** The value of {@code key} in view {@code v}; null when absent or unreadable (logged). */
  CompletableFuture<@Nullable JsonNode> valueAt(CausalView v, String key) {
    String version = v.version(CausalLayout.fileUrl(bucket, key));
    return version == null ? CompletableFuture.completedFuture(null) : value(key, version);
  }

  /** Version {@code version} of {@code key}'s value; null when unreadable (logged). */
  CompletableFuture<@Nullable JsonNode> value(String key, String version) {
    String url = CausalLayout.fileUrl(bucket, key);
    JsonNode cached = contents.get(url, version);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return content
        .read(key, version)
        .thenApply(
            bytes -> {
              if (bytes == null) {
                return null;
              }
              try {
                JsonNode value = mapper.readTree(bytes);
                contents.put(url, version, value, bytes.length);
                return value;
              } catch (IOException e) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "MPS3: skipping version " + version + " of " + key + ": not JSON");
                return null;
              }
            });
  }
}
