package io.mps3.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an {@code aws-chunked} body (S3's chunked upload: {@code hex-size[;chunk-signature=sig]
 * CRLF data CRLF} per chunk, a 0-size chunk, optional trailer lines, an empty line) as its bytes
 * arrive, and checks it: each chunk's signature chained from the request's (seed) signature, the
 * trailer's signature, the trailer checksum over the decoded body, and the total against {@code
 * x-amz-decoded-content-length}. A chunk's bytes are handed on only once its signature holds, and
 * the last chunk's only once the whole body (final chunk, trailer, checksum) has checked out: so a
 * body that fails anywhere never reaches the store whole. A push parser with no I/O of its own, fed
 * by {@link AwsChunkedContent}. Not thread-safe.
 */
final class AwsChunkedDecoder {

  /** A body refused while decoding: answered with this status and S3 error code. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    Refused(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }

    XmlAnswer answer(String resource) {
      String message = String.valueOf(getMessage());
      return status == 403
          ? XmlAnswer.accessDenied(message, resource)
          : XmlAnswer.s3Error(status, code, message, resource);
    }
  }

  /**
   * What the request's own signature seeds the chunk signatures with.
   *
   * @param secret the caller's temporary secret
   * @param amzDate the request time, {@code yyyyMMdd'T'HHmmss'Z'}
   * @param region the signing region
   * @param signature the request's signature, which the first chunk's chains from
   */
  record Seed(String secret, String amzDate, String region, String signature) {
    @Override
    public String toString() {
      return "Seed[" + amzDate + ", " + region + "]"; // never the secret or the signature
    }
  }

  /**
   * The largest chunk the gateway holds while checking its signature (the SDKs send 64-128 KiB).
   */
  static final int MAX_CHUNK = 8 << 20;

  /** The buffer a chunk starts with; the SDKs send chunks of 64 to 128 KiB. */
  private static final int FIRST_BUFFER = 64 << 10;

  private static final int MAX_LINE = 4096;
  private static final int MAX_TRAILERS = 16;
  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private enum State {
    HEADER,
    DATA,
    DATA_END,
    TRAILER,
    DONE
  }

  private final @Nullable Seed seed;
  private final boolean trailers;
  private final @Nullable TrailerChecksum checksum;
  private final long expected;
  private final MessageDigest sha256 = SigV4.sha256();
  private final StringBuilder line = new StringBuilder();
  private final Map<String, String> trailerValues = new TreeMap<>();
  private String previous;
  private State state = State.HEADER;
  private long decoded;
  private int chunks;
  private @Nullable ByteBuffer data;

  /** The size the current chunk declared: {@link #data} grows towards it as its bytes arrive. */
  private int chunkSize;

  private @Nullable String chunkSignature;
  private @Nullable ByteBuffer held;

  /**
   * @param seed the signing seed for signed chunks, null for unsigned ones
   * @param trailers whether trailer lines may follow the final chunk
   * @param checksum the announced trailer checksum, null if none
   * @param expected the decoded length the caller declared
   */
  AwsChunkedDecoder(
      @Nullable Seed seed, boolean trailers, @Nullable TrailerChecksum checksum, long expected) {
    this.seed = seed;
    this.trailers = trailers;
    this.checksum = checksum;
    this.expected = expected;
    this.previous = seed == null ? "" : seed.signature();
  }

  /** Whether the whole body has been decoded and checked. */
  boolean finished() {
    return state == State.DONE;
  }

  /** Decodes what {@code in} holds, handing checked data to {@code out} (buffers it may keep). */
  void feed(ByteBuffer in, Consumer<ByteBuffer> out) throws Refused {
    while (in.hasRemaining()) {
      switch (state) {
        case HEADER -> {
          String header = line(in);
          if (header != null) {
            header(header);
          }
        }
        case DATA -> {
          ByteBuffer into = data;
          if (into == null) {
            throw new IllegalStateException("no chunk buffer in the DATA state");
          }
          if (!into.hasRemaining()) {
            into = grown(into);
          }
          int n = Math.min(into.remaining(), in.remaining());
          into.put(in.slice(in.position(), n));
          in.position(in.position() + n);
          if (into.position() == chunkSize) {
            state = State.DATA_END;
          }
        }
        case DATA_END -> {
          String end = line(in);
          if (end != null) {
            if (!end.isEmpty()) {
              throw malformed("chunk " + chunks + " is longer than its size says");
            }
            chunkDone(out);
          }
        }
        case TRAILER -> {
          String trailer = line(in);
          if (trailer != null) {
            if (trailer.isEmpty()) {
              finish(out);
            } else {
              trailerLine(trailer);
            }
          }
        }
        case DONE -> throw malformed("bytes follow the end of the chunked body");
      }
    }
  }

  /** A CRLF-terminated line without its CRLF, or null while it is incomplete. */
  private @Nullable String line(ByteBuffer in) throws Refused {
    while (in.hasRemaining()) {
      char c = (char) (in.get() & 0xff);
      if (c == '\n') {
        int last = line.length() - 1;
        if (last < 0 || line.charAt(last) != '\r') {
          throw malformed("a chunk line does not end with CRLF");
        }
        String text = line.substring(0, last);
        line.setLength(0);
        return text;
      }
      if (line.length() >= MAX_LINE) {
        throw malformed("a chunk header or trailer line is longer than " + MAX_LINE + " bytes");
      }
      line.append(c);
    }
    return null;
  }

  private void header(String text) throws Refused {
    chunks++;
    int semicolon = text.indexOf(';');
    String size = semicolon < 0 ? text : text.substring(0, semicolon);
    long n;
    try {
      n = Long.parseLong(size.trim(), 16);
    } catch (NumberFormatException e) {
      throw malformed("chunk " + chunks + " does not start with a hexadecimal size");
    }
    if (n < 0 || n > MAX_CHUNK) {
      throw new Refused(
          400,
          "InvalidRequest",
          "chunk " + chunks + " is larger than the gateway takes (" + MAX_CHUNK + " bytes)");
    }
    if (decoded + n > expected) {
      throw malformed("the chunks hold more than x-amz-decoded-content-length (" + expected + ")");
    }
    chunkSignature = null;
    if (seed != null) {
      String prefix = ";chunk-signature=";
      if (semicolon < 0 || !text.startsWith(prefix, semicolon)) {
        throw new Refused(403, "AccessDenied", "chunk " + chunks + " has no chunk-signature");
      }
      chunkSignature = text.substring(semicolon + prefix.length()).trim();
    }
    if (n == 0) {
      verifyChunk(ByteBuffer.allocate(0));
      state = State.TRAILER;
    } else {
      // Grown as the bytes arrive, not allocated at the size a header claims: a caller who
      // declares 8 MiB chunks and then stalls holds no more memory than it has sent.
      chunkSize = (int) n;
      data = ByteBuffer.allocate(Math.min(chunkSize, FIRST_BUFFER));
      state = State.DATA;
    }
  }

  /** {@code full}, copied into a buffer twice as large, at most the chunk's size. */
  private ByteBuffer grown(ByteBuffer full) {
    ByteBuffer larger = ByteBuffer.allocate((int) Math.min((long) full.capacity() * 2, chunkSize));
    full.flip();
    larger.put(full);
    data = larger;
    return larger;
  }

  private void chunkDone(Consumer<ByteBuffer> out) throws Refused {
    ByteBuffer chunk = data;
    if (chunk == null) {
      throw new IllegalStateException("no chunk buffer at the end of a chunk");
    }
    data = null;
    chunk.flip();
    verifyChunk(chunk);
    if (checksum != null) {
      checksum.update(chunk);
    }
    decoded += chunk.remaining();
    if (decoded == expected) {
      held = chunk; // the body's last bytes wait until the end has checked out
    } else {
      out.accept(chunk);
    }
    state = State.HEADER;
  }

  private void verifyChunk(ByteBuffer chunk) throws Refused {
    if (seed == null) {
      return;
    }
    sha256.reset();
    sha256.update(chunk.duplicate());
    String stringToSign =
        String.join(
            "\n",
            "AWS4-HMAC-SHA256-PAYLOAD",
            seed.amzDate(),
            SigV4.scope(seed.amzDate().substring(0, 8), seed.region()),
            previous,
            SigV4.EMPTY_SHA256,
            HexFormat.of().formatHex(sha256.digest()));
    previous = check(stringToSign, chunkSignature, "chunk " + chunks);
  }

  private void trailerLine(String text) throws Refused {
    if (!trailers) {
      throw malformed("trailer lines follow the final chunk of a body that announced none");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || trailerValues.size() >= MAX_TRAILERS) {
      throw malformed("a trailer line is not name:value");
    }
    trailerValues.put(
        text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon + 1).trim());
  }

  private void finish(Consumer<ByteBuffer> out) throws Refused {
    if (seed != null && trailers) {
      String signature = trailerValues.remove(TRAILER_SIGNATURE);
      StringBuilder canonical = new StringBuilder();
      trailerValues.forEach(
          (name, value) ->
              canonical
                  .append(name)
                  .append(':')
                  .append(SigV4.canonicalHeaderValue(List.of(value)))
                  .append('\n'));
      String stringToSign =
          String.join(
              "\n",
              "AWS4-HMAC-SHA256-TRAILER",
              seed.amzDate(),
              SigV4.scope(seed.amzDate().substring(0, 8), seed.region()),
              previous,
              SigV4.sha256Hex(canonical.toString()));
      check(stringToSign, signature, "the trailer");
    }
    if (checksum != null) {
      String sent = trailerValues.remove(checksum.header());
      if (sent == null) {
        throw malformed("the trailer lacks the announced " + checksum.header());
      }
      if (!sent.equals(checksum.value())) {
        throw new Refused(
            400,
            "BadDigest",
            "the " + checksum.header() + " you specified did not match the body's checksum");
      }
    }
    if (!trailerValues.isEmpty()) {
      throw malformed("the trailer holds headers x-amz-trailer did not announce");
    }
    if (decoded != expected) {
      throw new Refused(
          400,
          "IncompleteBody",
          "the chunks hold "
              + decoded
              + " bytes, not the "
              + expected
              + " of x-amz-decoded-content-length");
    }
    state = State.DONE;
    ByteBuffer last = held;
    held = null;
    if (last != null) {
      out.accept(last);
    }
  }

  /** Checks a signature in constant time; answers it, the seed of the next. */
  private String check(String stringToSign, @Nullable String sent, String what) throws Refused {
    Seed s = seed;
    if (s == null) {
      throw new IllegalStateException("no seed for a signed body");
    }
    String expectedSignature =
        SigV4.signature(s.secret(), s.amzDate().substring(0, 8), s.region(), stringToSign);
    if (sent == null
        || !MessageDigest.isEqual(
            expectedSignature.getBytes(StandardCharsets.US_ASCII),
            sent.getBytes(StandardCharsets.US_ASCII))) {
      throw new Refused(
          403,
          "AccessDenied",
          "the signature of "
              + what
              + " of the chunked body does not match (tampered, or signed with another key)");
    }
    return expectedSignature;
  }

  private Refused malformed(String why) {
    return new Refused(400, "InvalidRequest", "the aws-chunked body is malformed: " + why);
  }
}
