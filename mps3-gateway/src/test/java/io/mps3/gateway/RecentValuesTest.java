package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentValuesTest {

  @Test
  void get_computesOncePerKey_andForgetsAllWhenFull() {
    RecentValues<String, String> values = new RecentValues<>(2);
    AtomicInteger computed = new AtomicInteger();
    values.get("a", k -> k + computed.incrementAndGet());
    assertThat(values.get("a", k -> k + computed.incrementAndGet())).isEqualTo("a1");
    values.get("b", k -> k + computed.incrementAndGet());
    // Full: the third key empties it, so "a" is computed again.
    values.get("c", k -> k + computed.incrementAndGet());
    assertThat(values.get("b")).isNull();
    assertThat(values.get("a", k -> k + computed.incrementAndGet())).isEqualTo("a4");
    assertThat(computed).hasValue(4);
  }
}
