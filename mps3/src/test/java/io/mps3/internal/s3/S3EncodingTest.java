package io.mps3.internal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3EncodingTest {

  @Test
  void path_encodesAsSigV4Does() {
    assertThat(S3Encoding.path("a b+c/d~e_f-g.h")).isEqualTo("a%20b%2Bc/d~e_f-g.h");
    assertThat(S3Encoding.path("é€😀")).isEqualTo("%C3%A9%E2%82%AC%F0%9F%98%80");
    assertThat(S3Encoding.path("x%2Fy")).isEqualTo("x%252Fy");
    assertThat(S3Encoding.value("a/b=c&d")).isEqualTo("a%2Fb%3Dc%26d");
  }

  @Test
  void urlDecode_readsPlusAsSpaceAndEscapesAsUtf8() {
    assertThat(S3Encoding.urlDecode("a+b%2Bc%20d")).isEqualTo("a b+c d");
    assertThat(S3Encoding.urlDecode("%C3%A9%E2%82%AC%F0%9F%98%80")).isEqualTo("é€😀");
    assertThat(S3Encoding.urlDecode("plain")).isEqualTo("plain");
    assertThat(S3Encoding.urlDecode("raw é")).isEqualTo("raw é");
  }

  @Test
  void urlDecode_refusesMalformedEscapes() {
    assertThatThrownBy(() -> S3Encoding.urlDecode("bad%2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Encoding.urlDecode("bad%zz"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
