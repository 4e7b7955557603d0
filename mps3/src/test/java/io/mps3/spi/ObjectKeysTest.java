package io.mps3.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {

  @Test
  void requireValidKey_acceptsAnyCharacterUpTo1024Bytes() {
    assertThat(ObjectKeys.requireValidKey("\u0001 &$@=;:+,? é😀")).isNotNull();
    assertThat(ObjectKeys.requireValidKey("é".repeat(512))).hasSize(512);
  }

  @Test
  void requireValidKey_namesTheProblem() {
    assertThatThrownBy(() -> ObjectKeys.requireValidKey(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid object key: it is empty (keys are 1..1024 bytes)");
    assertThatThrownBy(() -> ObjectKeys.requireValidKey("é".repeat(513)))
        .hasMessageContaining("1026 UTF-8 bytes, at most 1024 allowed")
        .hasMessageContaining("\"éééé");
    assertThatThrownBy(() -> ObjectKeys.requireValidKey("ab\uD800c"))
        .hasMessageContaining("unpaired surrogate at index 2");
  }

  @Test
  void requireValidBucket_followsS3Rules() {
    assertThat(ObjectKeys.requireValidBucket("my-bucket.1")).isEqualTo("my-bucket.1");
    assertThatThrownBy(() -> ObjectKeys.requireValidBucket("ab")).hasMessageContaining("3..63");
    assertThatThrownBy(() -> ObjectKeys.requireValidBucket("My-Bucket"))
        .hasMessageContaining("character 'M' at index 0");
    assertThatThrownBy(() -> ObjectKeys.requireValidBucket("../etc"))
        .hasMessageContaining("character '/'");
    assertThatThrownBy(() -> ObjectKeys.requireValidBucket("-abc"))
        .hasMessageContaining("begin and end");
    assertThatThrownBy(() -> ObjectKeys.requireValidBucket("a..b"))
        .hasMessageContaining("two dots");
  }
}
