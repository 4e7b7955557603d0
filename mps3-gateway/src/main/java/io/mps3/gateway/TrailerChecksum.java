package io.mps3.gateway;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.jspecify.annotations.Nullable;

/**
 * The checksum a chunked upload announces in {@code x-amz-trailer} and sends after its last chunk
 * ({@code x-amz-checksum-crc32}, {@code -crc32c}, {@code -crc64nvme}, {@code -sha1} or {@code
 * -sha256}, base64 of the big-endian value, as S3 defines them), computed over the decoded body as
 * it passes. For another name {@link #of} answers null and the upload is refused before anything is
 * forwarded. Not thread-safe.
 */
final class TrailerChecksum {

  private final String header;
  private final @Nullable Checksum crc;
  private final @Nullable MessageDigest digest;

  private TrailerChecksum(String header, @Nullable Checksum crc, @Nullable MessageDigest digest) {
    this.header = header;
    this.crc = crc;
    this.digest = digest;
  }

  /** The checksum a trailer header names (lowercase), or null if the gateway cannot compute it. */
  static @Nullable TrailerChecksum of(String trailerHeader) {
    String name = trailerHeader.trim().toLowerCase(Locale.ROOT);
    try {
      return switch (name) {
        case "x-amz-checksum-crc32" -> new TrailerChecksum(name, new CRC32(), null);
        case "x-amz-checksum-crc32c" -> new TrailerChecksum(name, new CRC32C(), null);
        case "x-amz-checksum-crc64nvme" -> new TrailerChecksum(name, new Crc64Nvme(), null);
        case "x-amz-checksum-sha1" ->
            new TrailerChecksum(name, null, MessageDigest.getInstance("SHA-1"));
        case "x-amz-checksum-sha256" -> new TrailerChecksum(name, null, SigV4.sha256());
        default -> null;
      };
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  /** The trailer header that carries the value, lowercase. */
  String header() {
    return header;
  }

  void update(ByteBuffer bytes) {
    if (crc != null) {
      crc.update(bytes.slice());
    } else if (digest != null) {
      digest.update(bytes.slice());
    }
  }

  /** The value as S3 writes it: base64 of the checksum's big-endian bytes. */
  String value() {
    byte[] raw;
    if (crc instanceof Crc64Nvme) {
      raw = ByteBuffer.allocate(8).putLong(crc.getValue()).array();
    } else if (crc != null) {
      raw = ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    } else if (digest != null) {
      raw = digest.digest();
    } else {
      raw = new byte[0];
    }
    return Base64.getEncoder().encodeToString(raw);
  }
}
