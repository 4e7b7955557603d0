package io.mps3.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of AWS Signature Version 4 for S3, shared by the check of incoming requests and
 * the signing of upstream ones, so the two cannot disagree: URI-encoding, the canonical request,
 * the string to sign, the signing key and the signature. S3 rules: the path is encoded once (no
 * double encoding, no normalisation), {@code /} kept; query names and values are encoded with
 * {@code /} too.
 */
final class SigV4 {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Signing keys already derived, by secret, date and region: deriving one takes four HMACs, and a
   * caller (or the gateway upstream) signs every request of a day with the same one.
   */
  private static final RecentValues<KeyScope, byte[]> SIGNING_KEYS = new RecentValues<>(4096);

  /**
   * One HMAC-SHA256 and one SHA-256 per thread: looking them up from the providers costs more than
   * what they compute for a request. Each is re-initialised (HMAC) or reset (digest) on every use.
   */
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(SigV4::newHmac);

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(SigV4::sha256);

  private SigV4() {}

  /** A query parameter, decoded. */
  record Parameter(String name, String value) {}

  /** Encodes an object key or a whole path for the canonical URI: {@code /} kept. */
  static String encodePath(String decoded) {
    return encode(decoded, true);
  }

  /** Encodes a query name or value, or a path segment: {@code /} encoded too. */
  static String encodeValue(String decoded) {
    return encode(decoded, false);
  }

  private static String encode(String s, boolean keepSlash) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte value : bytes) {
      int b = value & 0xff;
      if ((b >= 'A' && b <= 'Z')
          || (b >= 'a' && b <= 'z')
          || (b >= '0' && b <= '9')
          || b == '-'
          || b == '_'
          || b == '.'
          || b == '~'
          || (keepSlash && b == '/')) {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Decodes percent escapes (and, in a query, {@code +} as a space) into UTF-8 text.
   *
   * @throws IllegalArgumentException on a malformed escape
   */
  static String decode(String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new IllegalArgumentException("truncated percent escape");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("malformed percent escape");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
        bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Splits a raw query string into decoded parameters, in order. */
  static List<Parameter> parseQuery(String rawQuery) {
    List<Parameter> out = new ArrayList<>();
    if (rawQuery.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= rawQuery.length()) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? rawQuery.length() : amp;
      if (end > start) {
        String pair = rawQuery.substring(start, end);
        int eq = pair.indexOf('=');
        out.add(
            eq < 0
                ? new Parameter(decode(pair, true), "")
                : new Parameter(
                    decode(pair.substring(0, eq), true), decode(pair.substring(eq + 1), true)));
      }
      start = end + 1;
    }
    return out;
  }

  /** The canonical query string of decoded parameters: encoded, sorted by name then value. */
  static String canonicalQuery(List<Parameter> parameters) {
    List<String> pairs = new ArrayList<>(parameters.size());
    for (Parameter p : parameters) {
      pairs.add(encodeValue(p.name()) + "=" + encodeValue(p.value()));
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  /** A header value as SigV4 canonicalises it: trimmed, inner runs of spaces made one. */
  static String canonicalHeaderValue(List<String> values) {
    if (values.size() == 1) {
      return collapseSpaces(values.get(0).trim());
    }
    List<String> trimmed = new ArrayList<>(values.size());
    for (String value : values) {
      trimmed.add(collapseSpaces(value.trim()));
    }
    return String.join(",", trimmed);
  }

  /**
   * Runs of spaces as one (by hand: a regex here was compiled on every header of every request).
   */
  private static String collapseSpaces(String value) {
    if (!value.contains("  ")) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != ' ' || out.length() == 0 || out.charAt(out.length() - 1) != ' ') {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The {@code Authorization} header of a request signed with {@code signature}. */
  static String authorization(
      String accessKeyId, String scope, String signedHeaders, String signature) {
    return ALGORITHM
        + " Credential="
        + accessKeyId
        + "/"
        + scope
        + ", SignedHeaders="
        + signedHeaders
        + ", Signature="
        + signature;
  }

  /**
   * The canonical request.
   *
   * @param headers lowercase name to canonical value, for exactly the signed headers
   * @param signedHeaders the signed header names, {@code ;}-separated, sorted
   */
  static String canonicalRequest(
      String method,
      String canonicalUri,
      String canonicalQuery,
      Map<String, String> headers,
      String signedHeaders,
      String payloadHash) {
    StringBuilder out = new StringBuilder(256);
    out.append(method).append('\n').append(canonicalUri).append('\n');
    out.append(canonicalQuery).append('\n');
    for (String name : signedHeaders.split(";", -1)) {
      out.append(name).append(':').append(headers.getOrDefault(name, "")).append('\n');
    }
    out.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    return out.toString();
  }

  static String scope(String date, String region) {
    return date + "/" + region + "/s3/aws4_request";
  }

  static String stringToSign(String amzDate, String scope, String canonicalRequest) {
    return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
  }

  /** The hex signature of a string to sign with a secret, for a date (yyyyMMdd) and region. */
  static String signature(String secret, String date, String region, String stringToSign) {
    Mac mac = SIGNERS.get().signer(secret, date, region);
    return HexFormat.of().formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A thread's last few signing keys, each held as an HMAC already initialised with it: a thread
   * signs or checks request after request with the same few keys (a caller's and the gateway's
   * own), and {@link Mac#doFinal} leaves the HMAC initialised with its key, so a hit costs neither
   * a lookup of the key nor its setting up. A slot is used only for the exact secret, date and
   * region it was set up with.
   */
  private static final class Signers {
    private static final int SLOTS = 4;
    private final String[] secrets = new String[SLOTS];
    private final String[] dates = new String[SLOTS];
    private final String[] regions = new String[SLOTS];
    private final Mac[] macs = new Mac[SLOTS];
    private int next;

    Mac signer(String secret, String date, String region) {
      for (int i = 0; i < SLOTS; i++) {
        if (macs[i] != null
            && secrets[i].equals(secret)
            && dates[i].equals(date)
            && regions[i].equals(region)) {
          return macs[i];
        }
      }
      byte[] key = SIGNING_KEYS.get(new KeyScope(secret, date, region), SigV4::signingKey);
      int slot = next;
      next = (next + 1) % SLOTS;
      Mac mac = macs[slot] != null ? macs[slot] : newHmac();
      try {
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        macs[slot] = null;
        throw new IllegalStateException("HmacSHA256 refused a key", e);
      }
      secrets[slot] = secret;
      dates[slot] = date;
      regions[slot] = region;
      macs[slot] = mac;
      return mac;
    }
  }

  private static final ThreadLocal<Signers> SIGNERS = ThreadLocal.withInitial(Signers::new);

  private static Mac newHmac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256", e);
    }
  }

  private static byte[] signingKey(KeyScope scope) {
    byte[] key = hmac(("AWS4" + scope.secret()).getBytes(StandardCharsets.UTF_8), scope.date());
    key = hmac(key, scope.region());
    key = hmac(key, "s3");
    return hmac(key, "aws4_request");
  }

  /** What a signing key is derived from. {@link #toString()} never shows the secret. */
  private record KeyScope(String secret, String date, String region) {
    @Override
    public String toString() {
      return "KeyScope[" + date + ", " + region + "]";
    }
  }

  static String sha256Hex(String text) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = HMAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 refused a key", e);
    }
  }
}
