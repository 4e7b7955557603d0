package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CRC-64/NVME against published vectors: the CRC catalogue's check value, the AWS checksums
 * library's 32 zero bytes, and the NVMe spec's 4 KiB of zeros and of ones (as SPDK tests them); the
 * table-driven bulk update against one byte at a time; and the trailer value S3 expects.
 */
class Crc64NvmeTest {

  @Test
  void publishedVectors() {
    byte[] ones = new byte[4096];
    Arrays.fill(ones, (byte) 0xff);

    assertThat(crc("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xae8b14860a799888L);
    assertThat(crc(new byte[32])).isEqualTo(0xcf3473434d4ecf3bL);
    assertThat(crc(new byte[4096])).isEqualTo(0x6482d367eb22b64eL);
    assertThat(crc(ones)).isEqualTo(0xc0ddba7302eca3acL);
    assertThat(crc(new byte[0])).isZero();
  }

  @Test
  void bulkUpdates_inAnySplit_equalByteAtATime() {
    byte[] data = new byte[1000];
    new Random(14).nextBytes(data);
    Crc64Nvme single = new Crc64Nvme();
    for (byte b : data) {
      single.update(b);
    }
    for (int split : new int[] {0, 1, 7, 8, 9, 500, 999}) {
      Crc64Nvme bulk = new Crc64Nvme();
      bulk.update(data, 0, split);
      bulk.update(ByteBuffer.wrap(data, split, data.length - split));
      assertThat(bulk.getValue()).as("split at %d", split).isEqualTo(single.getValue());
    }
  }

  @Test
  void trailerValue_isBase64OfTheBigEndianValue() {
    TrailerChecksum checksum =
        java.util.Objects.requireNonNull(TrailerChecksum.of("X-Amz-Checksum-CRC64NVME"));
    checksum.update(ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII)));
    assertThat(checksum.header()).isEqualTo("x-amz-checksum-crc64nvme");
    assertThat(checksum.value()).isEqualTo("rosUhgp5mIg=");
  }

  private static long crc(byte[] data) {
    Crc64Nvme crc = new Crc64Nvme();
    crc.update(data, 0, data.length);
    return crc.getValue();
  }
}
