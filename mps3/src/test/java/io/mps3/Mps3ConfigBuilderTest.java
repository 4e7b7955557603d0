package io.mps3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mps3.store.ObjectStores;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Mps3ConfigBuilderTest {

  @Test
  void options_outOfBounds_nameTheOptionAndTheValue() {
    Mps3Config.Builder builder = Mps3Config.builder();
    assertThatThrownBy(() -> builder.pollInterval(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be at least 10 ms, was PT0.005S");
    assertThatThrownBy(() -> builder.autocleanGrace(Duration.ofMillis(999)))
        .hasMessage("autocleanGrace must be at least 1 s, was PT0.999S");
    assertThatThrownBy(() -> builder.contentCacheBytes(-1))
        .hasMessage("contentCacheBytes must be at least 0, was -1");
    assertThatThrownBy(() -> builder.transactionAttempts(0))
        .hasMessage("transactionAttempts must be at least 1, was 0");
    assertThatThrownBy(() -> builder.inlineLimit(262_145))
        .hasMessage("inlineLimit must be 0..262144 bytes, was 262145");
    assertThatThrownBy(() -> builder.checkpointInterval(1))
        .hasMessage("checkpointInterval must be 2..100000 entries, was 1");
    assertThatThrownBy(() -> builder.manifest("a@b"))
        .hasMessage("manifest key a@b must not contain '@'");
  }

  @Test
  void options_atTheirBounds_areKept() {
    Mps3Config config =
        Mps3Config.builder()
            .localDirectory(Path.of("unused"))
            .strictProtocol()
            .pollInterval(Duration.ofMillis(10))
            .autocleanGrace(Duration.ofSeconds(1))
            .contentCacheBytes(0)
            .transactionAttempts(1)
            .inlineLimit(262_144)
            .checkpointInterval(100_000)
            .changeFeed(true)
            .build();
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.autocleanGrace()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.contentCacheBytes()).isZero();
    assertThat(config.transactionAttempts()).isEqualTo(1);
    assertThat(config.inlineLimit()).isEqualTo(262_144);
    assertThat(config.checkpointInterval()).isEqualTo(100_000);
    assertThat(config.changeFeedEnabled()).isTrue();
  }

  @Test
  void changeFeed_isStrictOnly_andOffByDefault() {
    assertThat(Mps3Config.builder().localDirectory(Path.of("x")).build().changeFeedEnabled())
        .isFalse();
    assertThatThrownBy(
            () -> Mps3Config.builder().localDirectory(Path.of("x")).changeFeed(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "changeFeed() has no effect with the causal protocol: remove it or choose the other"
                + " protocol");
  }

  @Test
  void toBuilder_isACopy_thatLeavesTheConfigurationUnchanged() {
    Mps3Config config = Mps3Config.builder().store(ObjectStores.inMemory()).bucket("one").build();
    Mps3Config other = config.toBuilder().bucket("two").localDirectory(Path.of("x")).build();
    assertThat(config.bucket()).isEqualTo("one");
    assertThat(config.store()).isPresent();
    assertThat(other.bucket()).isEqualTo("two");
    assertThat(other.store()).isEmpty();
  }

  @Test
  void build_withoutAStore_namesBothWaysToGiveOne() {
    assertThatThrownBy(() -> Mps3Config.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no store: call store(...) with an ObjectStore, or localDirectory(path)");
  }
}
