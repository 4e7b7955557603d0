package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Bulk deletes ({@code POST /bucket?delete}, S3's {@code DeleteObjects}) checked key by key, after
 * the rules allowed the request by name and before it is forwarded (design 0014, "Bulk deletes").
 * The body is read (at most {@link #MAX_BODY_BYTES}), its keys parsed strictly ({@link
 * DeleteObjectsBody}), and each key checked exactly as a {@code DeleteObject} of that key would be:
 * the rules, then the manifest-write checks (a manifest's log objects only for the trusted rule).
 * All or nothing: one refused key refuses the whole request, and nothing reaches the store. An
 * allowed request is forwarded with the very bytes that were checked, with their own {@code
 * Content-MD5} and SHA-256. Thread-safe.
 */
final class BulkDeletes {

  /**
   * The largest body read: 1000 keys of up to 1024 bytes each, with room for version ids and
   * escaped characters. S3 defines no byte limit, only the 1000 objects.
   */
  static final int MAX_BODY_BYTES = 2 << 20;

  /** Headers S3 accepts as the integrity check it requires of a {@code DeleteObjects} body. */
  private static final List<String> CHECKSUMS =
      List.of(
          "content-md5",
          "x-amz-checksum-crc32",
          "x-amz-checksum-crc32c",
          "x-amz-checksum-crc64nvme",
          "x-amz-checksum-sha1",
          "x-amz-checksum-sha256");

  /** What the check says: {@link Refused} or {@link Checked}. */
  sealed interface Outcome permits Refused, Checked {}

  /**
   * A refused request, answered by the gateway.
   *
   * @param answer the answer to send instead of forwarding
   * @param audited the request as the audit log names it: with the refused key, when one was
   * @param decision the audit decision: {@code denied} (a key) or {@code rejected} (the body)
   * @param reason the audit reason: never a part of the body
   */
  record Refused(XmlAnswer answer, S3Operation audited, String decision, String reason)
      implements Outcome {}

  /** An allowed request's body as it was checked, and what describes it upstream. */
  static final class Checked implements Outcome {
    private final byte[] body;
    private final Map<String, List<String>> headers;
    private final String payloadHash;

    Checked(byte[] body, Map<String, List<String>> headers, String payloadHash) {
      this.body = body;
      this.headers = headers;
      this.payloadHash = payloadHash;
    }

    /** The bytes that were checked, to forward as they are. */
    byte[] body() {
      return body;
    }

    /** The caller's headers with the body's own {@code Content-MD5}. */
    Map<String, List<String>> headers() {
      return headers;
    }

    /** The body's SHA-256 in hex, signed upstream. */
    String payloadHash() {
      return payloadHash;
    }
  }

  private static final String NO_RULE = "no rule allows DeleteObject of this key for this caller";

  private final Rules rules;
  private final ManifestWrites writes;

  BulkDeletes(Rules rules, ManifestWrites writes) {
    this.rules = rules;
    this.writes = writes;
  }

  /**
   * Checks a {@code DeleteObjects} request the rules allowed by name.
   *
   * @param headers the caller's headers by lowercase name
   * @param length the declared body length
   * @param payloadHash the signed {@code x-amz-content-sha256}
   */
  Outcome check(
      Session session,
      S3Operation operation,
      Map<String, List<String>> headers,
      long length,
      String payloadHash,
      ManifestWrites.BodySource source)
      throws IOException {
    String resource = "/" + operation.bucket() + "?delete";
    if (length > MAX_BODY_BYTES) {
      return rejected(
          operation,
          400,
          "EntityTooLarge",
          "a DeleteObjects body of "
              + length
              + " bytes is over the gateway's limit of "
              + MAX_BODY_BYTES
              + " bytes (at most 1000 keys)",
          "body over " + MAX_BODY_BYTES + " bytes",
          resource);
    }
    if (length <= 0) {
      return malformed(operation, "the request has no body", resource);
    }
    if (!payloadHash.equals(SigV4.UNSIGNED_PAYLOAD) && !payloadHash.matches("[0-9a-f]{64}")) {
      return rejected(
          operation,
          400,
          "InvalidRequest",
          "a DeleteObjects body must be sent whole, signed with its SHA-256 or UNSIGNED-PAYLOAD",
          "not a whole body",
          resource);
    }
    if (CHECKSUMS.stream().noneMatch(headers::containsKey)) {
      return rejected(
          operation,
          400,
          "InvalidRequest",
          "Missing required header for this request: Content-MD5 (or an x-amz-checksum-*)",
          "no Content-MD5",
          resource);
    }
    byte[] body;
    try (InputStream in = open(source, length, payloadHash)) {
      body = in.readNBytes((int) length);
    } catch (PayloadCheckingStream.Mismatch e) {
      return rejected(
          operation,
          400,
          "XAmzContentSHA256Mismatch",
          String.valueOf(e.getMessage()),
          "body unlike its hash",
          resource);
    }
    if (body.length != length) {
      return rejected(
          operation,
          400,
          "IncompleteBody",
          "the body ended before its Content-Length",
          "body shorter than declared",
          resource);
    }
    String md5 = Base64.getEncoder().encodeToString(digest("MD5").digest(body));
    List<String> given = headers.get("content-md5");
    if (given != null && (given.size() != 1 || !given.get(0).trim().equals(md5))) {
      return rejected(
          operation,
          400,
          "BadDigest",
          "The Content-MD5 you specified did not match what was received.",
          "Content-MD5 mismatch",
          resource);
    }
    List<String> keys;
    try {
      keys = DeleteObjectsBody.keys(body);
    } catch (DeleteObjectsBody.Malformed e) {
      return malformed(operation, String.valueOf(e.getMessage()), resource);
    }
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      String refusal =
          refusal(session, new S3Operation("DeleteObject", operation.bucket(), key, ""));
      if (refusal != null) {
        String which = "key " + (i + 1) + " of " + keys.size();
        return new Refused(
            XmlAnswer.accessDenied(
                "the bulk delete is refused whole, nothing was deleted: "
                    + which
                    + " ("
                    + key
                    + "): "
                    + refusal,
                resource),
            new S3Operation(operation.name(), operation.bucket(), key, ""),
            "denied",
            which
                + ": "
                + (refusal.equals(NO_RULE) ? "no rule allows it" : "trusted rule required"));
      }
    }
    Map<String, List<String>> forwarded = new LinkedHashMap<>(headers);
    forwarded.put("content-md5", List.of(md5));
    String sha256 = HexFormat.of().formatHex(digest("SHA-256").digest(body));
    return new Checked(body, forwarded, sha256);
  }

  /** Why a single {@code DeleteObject} of a key would be refused, or null when it would pass. */
  private @Nullable String refusal(Session session, S3Operation delete) throws IOException {
    ManifestObject object = delete.manifestObject();
    String manifest = object == null ? "" : object.manifest();
    if (!rules.decide(session, delete, manifest).allowed()) {
      return NO_RULE;
    }
    ManifestWrites.Outcome checked =
        writes.check(
            session,
            delete,
            null,
            0,
            SigV4.UNSIGNED_PAYLOAD,
            () -> {
              throw new IOException("a DeleteObject has no body to read");
            });
    return checked.refusal() == null
        ? null
        : "a log object of manifest " + manifest + ", which only a trusted caller may delete";
  }

  private static InputStream open(ManifestWrites.BodySource source, long length, String hash)
      throws IOException {
    InputStream in = source.open();
    return hash.equals(SigV4.UNSIGNED_PAYLOAD) ? in : new PayloadCheckingStream(in, length, hash);
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }

  private static Outcome malformed(S3Operation operation, String problem, String resource) {
    return rejected(
        operation,
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published"
            + " schema: "
            + problem,
        "malformed DeleteObjects body",
        resource);
  }

  private static Outcome rejected(
      S3Operation operation,
      int status,
      String code,
      String message,
      String reason,
      String resource) {
    return new Refused(
        XmlAnswer.s3Error(status, code, message, resource), operation, "rejected", reason);
  }
}
