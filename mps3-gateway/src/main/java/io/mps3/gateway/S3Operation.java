package io.mps3.gateway;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an S3 request asks for, as the rules see it: the operation's S3 API name, the bucket, the
 * object key, and the listing prefix. Derived from the method, the path and the query's
 * sub-resources, the way S3 itself tells operations apart. Immutable.
 *
 * @param name the S3 API name, such as {@code GetObject} or {@code ListObjectsV2}; {@code Other}
 *     for a request the gateway does not name
 * @param bucket the bucket, empty for the service itself
 * @param key the object key, empty for bucket and service operations
 * @param prefix the listing prefix, empty when none
 * @param manifestObject the manifest object the key names, or null for any other key: told once
 *     here, since the rules, the write checks and the audit line all ask
 */
record S3Operation(
    String name,
    String bucket,
    String key,
    String prefix,
    @Nullable ManifestObject manifestObject) {

  /** An operation on a key, its manifest object told from the key. */
  S3Operation(String name, String bucket, String key, String prefix) {
    this(name, bucket, key, prefix, ManifestObject.of(key));
  }

  /** Query parameters of presigned-URL authentication (and SDK routing hints), not the request. */
  static final Set<String> AUTH_PARAMETERS =
      Set.of(
          "X-Amz-Algorithm",
          "X-Amz-Credential",
          "X-Amz-Date",
          "X-Amz-Expires",
          "X-Amz-SignedHeaders",
          "X-Amz-Signature",
          "X-Amz-Security-Token");

  /**
   * Classifies a request.
   *
   * @param decodedPath the path, percent-decoded
   */
  static S3Operation of(String method, String decodedPath, List<SigV4.Parameter> query) {
    String path = decodedPath.startsWith("/") ? decodedPath.substring(1) : decodedPath;
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 ? "" : path.substring(slash + 1);
    Set<String> params = new HashSet<>();
    String prefix = "";
    for (SigV4.Parameter p : query) {
      if (AUTH_PARAMETERS.contains(p.name()) || p.name().equals("x-id")) {
        continue;
      }
      params.add(p.name());
      if (p.name().equals("prefix")) {
        prefix = p.value();
      }
    }
    String name;
    if (bucket.isEmpty()) {
      name = method.equals("GET") ? "ListBuckets" : "Other";
    } else if (key.isEmpty()) {
      name = bucketOperation(method, params);
    } else {
      name = objectOperation(method, params);
    }
    return new S3Operation(name, bucket, key, prefix);
  }

  private static String bucketOperation(String method, Set<String> params) {
    return switch (method) {
      case "GET" -> bucketRead(params);
      case "HEAD" -> "HeadBucket";
      case "PUT" ->
          params.contains("versioning")
              ? "PutBucketVersioning"
              : params.contains("cors")
                  ? "PutBucketCors"
                  : params.isEmpty() ? "CreateBucket" : "Other";
      case "DELETE" -> params.isEmpty() ? "DeleteBucket" : "Other";
      case "POST" -> params.contains("delete") ? "DeleteObjects" : "Other";
      default -> "Other";
    };
  }

  private static String bucketRead(Set<String> params) {
    if (params.contains("list-type")) {
      return "ListObjectsV2";
    }
    if (params.contains("versioning")) {
      return "GetBucketVersioning";
    }
    if (params.contains("cors")) {
      return "GetBucketCors";
    }
    if (params.contains("location")) {
      return "GetBucketLocation";
    }
    if (params.contains("versions")) {
      return "ListObjectVersions";
    }
    if (params.contains("uploads")) {
      return "ListMultipartUploads";
    }
    return onlyPlain(params) ? "ListObjects" : "Other";
  }

  private static String objectOperation(String method, Set<String> params) {
    return switch (method) {
      case "GET" ->
          params.contains("uploadId") ? "ListParts" : onlyPlain(params) ? "GetObject" : "Other";
      case "HEAD" -> onlyPlain(params) ? "HeadObject" : "Other";
      case "PUT" ->
          params.contains("partNumber") && params.contains("uploadId")
              ? "UploadPart"
              : params.isEmpty() ? "PutObject" : "Other";
      case "DELETE" ->
          params.contains("uploadId")
              ? "AbortMultipartUpload"
              : onlyPlain(params) ? "DeleteObject" : "Other";
      case "POST" ->
          params.contains("uploads")
              ? "CreateMultipartUpload"
              : params.contains("uploadId") ? "CompleteMultipartUpload" : "Other";
      default -> "Other";
    };
  }

  /**
   * Whether the query holds only parameters that select or shape a read, not a sub-resource such as
   * {@code ?acl} or {@code ?tagging}, which rules do not cover yet.
   */
  private static boolean onlyPlain(Set<String> params) {
    Set<String> plain =
        Set.of(
            "versionId",
            "partNumber",
            "prefix",
            "delimiter",
            "marker",
            "max-keys",
            "encoding-type",
            "response-content-type",
            "response-content-disposition",
            "response-cache-control",
            "response-content-encoding",
            "response-content-language",
            "response-expires");
    return plain.containsAll(params);
  }
}
