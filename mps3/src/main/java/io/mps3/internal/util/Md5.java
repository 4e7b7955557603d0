package io.mps3.internal.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** MD5 digests, the ETag of a body written in one piece and S3's {@code Content-MD5}. */
public final class Md5 {

  private Md5() {}

  /** The raw digest. */
  public static byte[] digest(byte[] body) {
    try {
      return MessageDigest.getInstance("MD5").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }

  /** The lowercase hex digest: the ETag S3 gives a body written in one piece. */
  public static String hex(byte[] body) {
    return HexFormat.of().formatHex(digest(body));
  }

  /** The base64 digest, for the {@code Content-MD5} header. */
  public static String base64(byte[] digest) {
    return Base64.getEncoder().encodeToString(digest);
  }
}
