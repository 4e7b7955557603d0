package io.mps3.gateway;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the checksum S3 calls {@code CRC64NVME} (some AWS clients send it by default): the
 * NVM Express polynomial 0xad93d23594c93659, reflected in and out (0x9a6c9329ac4bc9b5 reflected),
 * initial value and final XOR all ones; "123456789" checks to 0xae8b14860a799888. The JDK has no
 * CRC-64 and the AWS SDK's needs a native library, so it is computed here, eight bytes at a time
 * with eight tables ("slicing by eight"; 16 KiB of tables, built once). Not thread-safe.
 */
final class Crc64Nvme implements Checksum {

  private static final long POLY_REFLECTED = 0x9a6c9329ac4bc9b5L;

  /** TABLES[k][b]: the CRC of byte b followed by k zero bytes (register contribution). */
  private static final long[][] TABLES = tables();

  /** The register, inverted: what {@link #getValue} returns after the final XOR. */
  private long crc = -1L;

  private static long[][] tables() {
    long[][] t = new long[8][256];
    for (int b = 0; b < 256; b++) {
      long r = b;
      for (int bit = 0; bit < 8; bit++) {
        r = (r & 1) != 0 ? (r >>> 1) ^ POLY_REFLECTED : r >>> 1;
      }
      t[0][b] = r;
    }
    for (int k = 1; k < 8; k++) {
      for (int b = 0; b < 256; b++) {
        long previous = t[k - 1][b];
        t[k][b] = (previous >>> 8) ^ t[0][(int) (previous & 0xff)];
      }
    }
    return t;
  }

  @Override
  public void update(int b) {
    crc = (crc >>> 8) ^ TABLES[0][(int) ((crc ^ b) & 0xff)];
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    long r = crc;
    int i = offset;
    int end = offset + length;
    long[] t0 = TABLES[0];
    long[] t1 = TABLES[1];
    long[] t2 = TABLES[2];
    long[] t3 = TABLES[3];
    long[] t4 = TABLES[4];
    long[] t5 = TABLES[5];
    long[] t6 = TABLES[6];
    long[] t7 = TABLES[7];
    for (; end - i >= 8; i += 8) {
      r ^=
          (bytes[i] & 0xffL)
              | (bytes[i + 1] & 0xffL) << 8
              | (bytes[i + 2] & 0xffL) << 16
              | (bytes[i + 3] & 0xffL) << 24
              | (bytes[i + 4] & 0xffL) << 32
              | (bytes[i + 5] & 0xffL) << 40
              | (bytes[i + 6] & 0xffL) << 48
              | (bytes[i + 7] & 0xffL) << 56;
      r =
          t7[(int) (r & 0xff)]
              ^ t6[(int) ((r >>> 8) & 0xff)]
              ^ t5[(int) ((r >>> 16) & 0xff)]
              ^ t4[(int) ((r >>> 24) & 0xff)]
              ^ t3[(int) ((r >>> 32) & 0xff)]
              ^ t2[(int) ((r >>> 40) & 0xff)]
              ^ t1[(int) ((r >>> 48) & 0xff)]
              ^ t0[(int) (r >>> 56)];
    }
    for (; i < end; i++) {
      r = (r >>> 8) ^ t0[(int) ((r ^ bytes[i]) & 0xff)];
    }
    crc = r;
  }

  /** The checksum so far (all 64 bits: read it as unsigned). */
  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = -1L;
  }
}
