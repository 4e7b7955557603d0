package io.mps3.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A chunked upload ({@code x-amz-content-sha256: STREAMING-...}, {@code Content-Encoding:
 * aws-chunked}, what the AWS SDKs send by default) as the gateway forwards it: the decoded body,
 * checked chunk by chunk as it streams ({@link AwsChunkedStream}), its decoded length (the caller's
 * {@code x-amz-decoded-content-length}, the upstream Content-Length), and the caller's headers
 * without the chunked encoding's own ({@code aws-chunked}, the decoded length, the trailer
 * announcement): the store gets a plain PUT of the decoded bytes. The trailer checksum is checked
 * by the gateway, not passed on (it arrives after the body, too late for an upstream header).
 *
 * @param body the decoded body, checked as it is read
 * @param length the decoded length
 * @param headers the headers to pass upstream, by lowercase name
 */
record ChunkedUpload(InputStream body, long length, Map<String, List<String>> headers) {

  /** Signed chunks, no trailer. */
  static final String SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

  /** Signed chunks and a signed trailer. */
  static final String SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";

  /** Unsigned chunks and an unsigned trailer (a checksum, if any, is then the only check). */
  static final String UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

  /** Headers of the chunked encoding itself, not passed upstream. */
  private static final Set<String> DROPPED =
      Set.of("x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm");

  /** Whether the gateway decodes a body sent with this {@code x-amz-content-sha256}. */
  static boolean supported(String payloadHash) {
    return payloadHash.equals(SIGNED)
        || payloadHash.equals(SIGNED_TRAILER)
        || payloadHash.equals(UNSIGNED_TRAILER);
  }

  /**
   * Prepares a chunked upload for forwarding, refusing up front what cannot be checked.
   *
   * @param payloadHash the request's {@code x-amz-content-sha256}, one of the {@link #supported}
   * @param seed what the request's signature seeds the chunk signatures with; null if unsigned
   * @param request the caller's (encoded) body
   */
  static ChunkedUpload open(
      IncomingRequest in,
      String payloadHash,
      AwsChunkedDecoder.@Nullable Seed seed,
      InputStream request)
      throws AwsChunkedDecoder.Refused {
    String declared = in.header("x-amz-decoded-content-length");
    long length;
    try {
      length = declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0) {
      throw new AwsChunkedDecoder.Refused(
          411,
          "MissingContentLength",
          "a chunked upload must send its length as x-amz-decoded-content-length");
    }
    boolean trailers = !payloadHash.equals(SIGNED);
    String announced = in.header("x-amz-trailer");
    TrailerChecksum checksum = null;
    if (announced != null && !announced.isBlank()) {
      if (!trailers) {
        throw new AwsChunkedDecoder.Refused(
            400, "InvalidRequest", payloadHash + " has no trailer, yet x-amz-trailer is set");
      }
      checksum = TrailerChecksum.of(announced);
      if (checksum == null) {
        throw new AwsChunkedDecoder.Refused(
            501,
            "NotImplemented",
            "the gateway cannot check the trailer "
                + announced.trim()
                + ": send x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1 or -sha256");
      }
    }
    AwsChunkedDecoder decoder =
        new AwsChunkedDecoder(
            payloadHash.equals(UNSIGNED_TRAILER) ? null : seed, trailers, checksum, length);
    InputStream body = new AwsChunkedStream(request, decoder);
    if (length == 0) {
      drain(body); // no body goes upstream, so check the final chunk and trailer here
    }
    return new ChunkedUpload(body, length, passed(in.headers()));
  }

  private static void drain(InputStream body) throws AwsChunkedDecoder.Refused {
    try {
      if (body.read() >= 0) {
        throw new AwsChunkedDecoder.Refused(
            400, "InvalidRequest", "the chunks hold more than x-amz-decoded-content-length (0)");
      }
    } catch (IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof AwsChunkedDecoder.Refused refused) {
          throw refused;
        }
      }
      throw new AwsChunkedDecoder.Refused(
          400, "IncompleteBody", "the chunked body could not be read: " + e.getMessage());
    }
  }

  private static Map<String, List<String>> passed(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          if (name.equals("content-encoding")) {
            List<String> kept = new ArrayList<>();
            for (String value : values) {
              for (String coding : value.split(",", -1)) {
                String trimmed = coding.trim();
                if (!trimmed.isEmpty() && !trimmed.toLowerCase(Locale.ROOT).equals("aws-chunked")) {
                  kept.add(trimmed);
                }
              }
            }
            if (!kept.isEmpty()) {
              out.put(name, List.of(String.join(",", kept)));
            }
          } else if (!DROPPED.contains(name)) {
            out.put(name, values);
          }
        });
    return out;
  }
}
