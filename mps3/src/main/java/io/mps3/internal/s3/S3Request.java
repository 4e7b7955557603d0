package io.mps3.internal.s3;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One S3 request before signing. Query values and the key are raw; {@link S3Transport} encodes them
 * once, for the signer and the wire alike.
 */
public final class S3Request {

  final String method;
  final @Nullable String bucket;
  final @Nullable String key;
  final Map<String, String> query = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();
  byte @Nullable [] body;

  /**
   * How long after the call starts a resend may follow an attempt that may have applied; null: no
   * limit.
   */
  @Nullable Duration resendWithin;

  private S3Request(String method, @Nullable String bucket, @Nullable String key) {
    this.method = method;
    this.bucket = bucket;
    this.key = key;
  }

  /** A request on an object. */
  public static S3Request object(String method, String bucket, String key) {
    return new S3Request(method, bucket, key);
  }

  /** A request on a bucket. */
  public static S3Request bucket(String method, String bucket) {
    return new S3Request(method, bucket, null);
  }

  /** Adds a query parameter (an empty value gives {@code ?name=}). */
  public S3Request query(String name, String value) {
    query.put(name, value);
    return this;
  }

  /** Adds a header. */
  public S3Request header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Sets the body. */
  public S3Request body(byte[] content) {
    this.body = content;
    return this;
  }

  /**
   * Limits resends of a request that may have been applied (see {@code PutOptions.resendWithin}):
   * none once {@code limit} has passed since the call started.
   */
  public S3Request resendWithin(@Nullable Duration limit) {
    this.resendWithin = limit;
    return this;
  }

  /** A short description for error messages: the method and the object, never a secret. */
  public String describe() {
    StringBuilder out = new StringBuilder(method).append(' ');
    if (bucket != null) {
      out.append("s3://").append(bucket).append('/');
      if (key != null) {
        out.append(key.length() > 80 ? key.substring(0, 80) + "..." : key);
      }
    }
    if (query.containsKey("versioning")) {
      out.append("?versioning");
    } else if (query.containsKey("cors")) {
      out.append("?cors");
    } else if (query.containsKey("list-type")) {
      out.append(" (list");
      String prefix = query.get("prefix");
      if (prefix != null && !prefix.isEmpty()) {
        out.append(" prefix ").append(prefix);
      }
      out.append(')');
    }
    return out.toString();
  }
}
