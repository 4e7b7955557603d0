package io.mps3.gateway;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Hand-made chunked uploads ({@code aws-chunked}) for what the AWS SDK will not send: a tampered
 * chunk signature, a wrong trailer checksum, and unsigned chunks over plain http (the SDK's sync
 * client signs every chunk over http). Framed as AWS's "sigv4-streaming" pages describe and as the
 * SDK's {@code ChunkedEncodedInputStream} writes it.
 */
final class ChunkedRequests {

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ChunkedRequests() {}

  /**
   * A chunked PUT of {@code body}.
   *
   * @param mode the {@code x-amz-content-sha256}: one of {@link ChunkedUpload}'s forms
   * @param trailer the checksum trailer's name, or null for none
   * @param trailerValue its value (base64), when {@code trailer} is set
   * @param tamperedChunk the index of the chunk whose signature is changed, or -1
   */
  static HttpRequest put(
      URI endpoint,
      SignedRequests.Credentials credentials,
      String bucket,
      String key,
      byte[] body,
      int chunkSize,
      String mode,
      @Nullable String trailer,
      @Nullable String trailerValue,
      int tamperedChunk) {
    String amzDate = AMZ_DATE.format(Instant.now());
    String date = amzDate.substring(0, 8);
    String scope = SigV4.scope(date, "us-east-1");
    String path = "/" + SigV4.encodeValue(bucket) + "/" + SigV4.encodePath(key);
    Map<String, String> headers = new TreeMap<>();
    headers.put("content-encoding", "aws-chunked");
    headers.put("host", endpoint.getHost() + ":" + endpoint.getPort());
    headers.put("x-amz-content-sha256", mode);
    headers.put("x-amz-date", amzDate);
    headers.put("x-amz-decoded-content-length", Integer.toString(body.length));
    headers.put("x-amz-security-token", credentials.token());
    if (trailer != null) {
      headers.put("x-amz-trailer", trailer);
    }
    String signedHeaders = String.join(";", headers.keySet());
    String canonical = SigV4.canonicalRequest("PUT", path, "", headers, signedHeaders, mode);
    String seed =
        SigV4.signature(
            credentials.secret(), date, "us-east-1", SigV4.stringToSign(amzDate, scope, canonical));
    byte[] encoded =
        encode(
            credentials.secret(),
            amzDate,
            seed,
            body,
            chunkSize,
            mode,
            trailer,
            trailerValue,
            tamperedChunk);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(encoded));
    headers.forEach(
        (name, value) -> {
          if (!name.equals("host")) {
            request.header(name, value);
          }
        });
    return request
        .header(
            "Authorization",
            SigV4.authorization(credentials.accessKeyId(), scope, signedHeaders, seed))
        .build();
  }

  /**
   * An {@code aws-chunked} body of {@code body}, chained from the request signature {@code seed}
   * (region us-east-1).
   */
  static byte[] encode(
      String secret,
      String amzDate,
      String seed,
      byte[] body,
      int chunkSize,
      String mode,
      @Nullable String trailer,
      @Nullable String trailerValue,
      int tamperedChunk) {
    String date = amzDate.substring(0, 8);
    String scope = SigV4.scope(date, "us-east-1");
    String previous = seed;
    boolean signed = !mode.equals(ChunkedUpload.UNSIGNED_TRAILER);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<byte[]> chunks = new ArrayList<>();
    for (int offset = 0; offset < body.length; offset += chunkSize) {
      chunks.add(Arrays.copyOfRange(body, offset, Math.min(body.length, offset + chunkSize)));
    }
    chunks.add(new byte[0]); // the final chunk: trailer lines (if any) and an empty line follow
    for (int index = 0; index < chunks.size(); index++) {
      byte[] data = chunks.get(index);
      String signature = "";
      if (signed) {
        signature =
            sign(
                secret,
                date,
                String.join(
                    "\n",
                    "AWS4-HMAC-SHA256-PAYLOAD",
                    amzDate,
                    scope,
                    previous,
                    SigV4.EMPTY_SHA256,
                    HexFormat.of().formatHex(SigV4.sha256().digest(data))));
        previous = signature;
        if (index == tamperedChunk) {
          signature = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        }
      }
      write(out, Integer.toHexString(data.length));
      write(out, signed ? ";chunk-signature=" + signature + "\r\n" : "\r\n");
      if (data.length > 0) {
        out.writeBytes(data);
        write(out, "\r\n");
      }
    }
    if (trailer != null) {
      String line = trailer + ":" + trailerValue;
      write(out, line + "\r\n");
      if (signed) {
        String signature =
            sign(
                secret,
                date,
                String.join(
                    "\n",
                    "AWS4-HMAC-SHA256-TRAILER",
                    amzDate,
                    scope,
                    previous,
                    SigV4.sha256Hex(line + "\n")));
        write(out, "x-amz-trailer-signature:" + signature + "\r\n");
      }
    }
    write(out, "\r\n");
    return out.toByteArray();
  }

  private static String sign(String secret, String date, String text) {
    return SigV4.signature(secret, date, "us-east-1", text);
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
