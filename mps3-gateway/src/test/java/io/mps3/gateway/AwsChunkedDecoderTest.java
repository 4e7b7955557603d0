package io.mps3.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The aws-chunked decoder's framing and checks, on bodies fed in pieces of every size. */
class AwsChunkedDecoderTest {

  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String AMZ_DATE = "20261207T120000Z";
  private static final String SEED =
      "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  private static final byte[] BODY = new byte[200 * 1024 + 5];

  static {
    new Random(14).nextBytes(BODY);
  }

  @Test
  void signedChunksWithTrailer_decodeWhateverTheReadSizes_andTheLastChunkWaitsForTheEnd()
      throws Exception {
    byte[] encoded = encode(ChunkedUpload.SIGNED_TRAILER, crc32(BODY), -1);
    for (int piece : new int[] {1, 7, 4096, encoded.length}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AwsChunkedDecoder decoder = decoder(ChunkedUpload.SIGNED_TRAILER, BODY.length);
      // All but the final CRLF: every chunk but the last (8 KiB + 5 B) has been handed on.
      feed(decoder, Arrays.copyOf(encoded, encoded.length - 2), piece, out);
      assertThat(out.size()).isEqualTo(3 * 64 * 1024);
      assertThat(decoder.finished()).isFalse();
      feed(decoder, Arrays.copyOfRange(encoded, encoded.length - 2, encoded.length), piece, out);
      assertThat(decoder.finished()).isTrue();
      assertThat(out.toByteArray()).isEqualTo(BODY);
    }
  }

  @Test
  void aTamperedChunk_stopsTheBody_beforeItsBytesAreHandedOn() {
    byte[] encoded = encode(ChunkedUpload.SIGNED, null, 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> feed(decoder(ChunkedUpload.SIGNED, BODY.length), encoded, 1000, out))
        .isInstanceOf(AwsChunkedDecoder.Refused.class)
        .hasMessageContaining("signature of chunk 2");
    assertThat(out.size()).isEqualTo(64 * 1024);
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET, SEED);
  }

  @Test
  void wrongChecksumsLengthsAndFraming_areRefused() {
    byte[] other = BODY.clone();
    other[0] ^= 1;
    assertRefused(
        ChunkedUpload.UNSIGNED_TRAILER,
        encode(ChunkedUpload.UNSIGNED_TRAILER, crc32(other), -1),
        BODY.length,
        "BadDigest");
    assertRefused(
        ChunkedUpload.SIGNED, encode(ChunkedUpload.SIGNED, null, -1), BODY.length + 1, "hold");
    assertRefused(
        ChunkedUpload.SIGNED, encode(ChunkedUpload.SIGNED, null, -1), BODY.length - 1, "more than");
    assertRefused(
        ChunkedUpload.SIGNED,
        "zz;chunk-signature=0\r\n".getBytes(StandardCharsets.US_ASCII),
        10,
        "hexadecimal");
    byte[] trailing = encode(ChunkedUpload.SIGNED, null, -1);
    byte[] more = Arrays.copyOf(trailing, trailing.length + 1);
    assertRefused(ChunkedUpload.SIGNED, more, BODY.length, "follow the end");
  }

  private static void assertRefused(String mode, byte[] encoded, long length, String why) {
    assertThatThrownBy(() -> feed(decoder(mode, length), encoded, 333, new ByteArrayOutputStream()))
        .isInstanceOf(AwsChunkedDecoder.Refused.class)
        .satisfies(
            e ->
                assertThat(((AwsChunkedDecoder.Refused) e).answer("/b/k").xml() + e.getMessage())
                    .contains(why));
  }

  private static AwsChunkedDecoder decoder(String mode, long length) {
    boolean unsigned = mode.equals(ChunkedUpload.UNSIGNED_TRAILER);
    TrailerChecksum checksum =
        mode.equals(ChunkedUpload.SIGNED) ? null : TrailerChecksum.of("x-amz-checksum-crc32");
    return new AwsChunkedDecoder(
        unsigned ? null : new AwsChunkedDecoder.Seed(SECRET, AMZ_DATE, "us-east-1", SEED),
        !mode.equals(ChunkedUpload.SIGNED),
        checksum,
        length);
  }

  private static byte[] encode(String mode, @Nullable String crc, int tampered) {
    return ChunkedRequests.encode(
        SECRET,
        AMZ_DATE,
        SEED,
        BODY,
        64 * 1024,
        mode,
        crc == null ? null : "x-amz-checksum-crc32",
        crc,
        tampered);
  }

  private static void feed(
      AwsChunkedDecoder decoder, byte[] encoded, int piece, ByteArrayOutputStream out)
      throws AwsChunkedDecoder.Refused {
    for (int at = 0; at < encoded.length; at += piece) {
      ByteBuffer in = ByteBuffer.wrap(encoded, at, Math.min(piece, encoded.length - at));
      decoder.feed(in, chunk -> out.write(chunk.array(), chunk.arrayOffset(), chunk.remaining()));
    }
  }

  private static String crc32(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
