package io.mps3.internal.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests: the names of strict segments, the ids of manifests in change-feed markers, and
 * the digest of a causal window claim.
 */
public final class Sha256 {

  private Sha256() {}

  /** The raw digest. */
  public static byte[] digest(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The lowercase hex digest. */
  public static String hex(byte[] body) {
    return HexFormat.of().formatHex(digest(body));
  }
}
