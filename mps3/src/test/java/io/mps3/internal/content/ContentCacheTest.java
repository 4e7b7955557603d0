package io.mps3.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

/** The content cache is bounded by the bytes of what it holds, least recently used out first. */
class ContentCacheTest {

  @Test
  void holdsAtMostItsCapacityInBytes_evictingTheLeastRecentlyUsed() {
    ContentCache cache = new ContentCache(10_000);
    for (int i = 0; i < 100; i++) {
      cache.put("b/k" + i, "v", TextNode.valueOf("x"), 1_000); // about 1.1 KB each, weighed
    }
    assertThat(cache.size()).isLessThanOrEqualTo(10_000);
    assertThat(cache.get("b/k99", "v")).isNotNull();
    assertThat(cache.get("b/k0", "v")).isNull();

    assertThat(cache.get("b/k92", "v")).isNotNull(); // used now: the next put evicts another
    cache.put("b/new", "v", TextNode.valueOf("y"), 1_000);
    assertThat(cache.get("b/k92", "v")).isNotNull();
    assertThat(cache.size()).isLessThanOrEqualTo(10_000);
  }

  @Test
  void aValueLargerThanTheWholeCache_isNotCached_andEvictsNothing() {
    ContentCache cache = new ContentCache(10_000);
    cache.put("b/small", "v", TextNode.valueOf("s"), 100);
    cache.put("b/huge", "v", TextNode.valueOf("h"), 50_000);
    assertThat(cache.get("b/huge", "v")).isNull();
    assertThat(cache.get("b/small", "v")).isNotNull();
  }
}
