package io.mps3.internal.s3;

import io.mps3.internal.util.Md5;
import io.mps3.spi.GetOptions;
import io.mps3.spi.GetResult;
import io.mps3.spi.ListPage;
import io.mps3.spi.ListRequest;
import io.mps3.spi.ObjectKeys;
import io.mps3.spi.ObjectMetadata;
import io.mps3.spi.ObjectStoreException;
import io.mps3.spi.ObjectStoreException.Kind;
import io.mps3.spi.PutOptions;
import io.mps3.spi.PutOutcome;
import io.mps3.spi.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The S3 API calls behind {@code S3ObjectStore}. Thread-safe. */
public final class S3Operations implements AutoCloseable {

  private static final String VERSIONING_ENABLED =
      "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<Status>Enabled</Status></VersioningConfiguration>";

  private final S3Transport transport;
  private volatile boolean closed;

  /** Operations over a new transport. */
  public S3Operations(S3Settings settings) {
    this.transport = new S3Transport(settings);
  }

  /** The endpoint, for messages. */
  public String endpoint() {
    return transport.endpoint();
  }

  /** GetObject. */
  public CompletableFuture<GetResult> get(String bucket, String key, GetOptions options) {
    S3Request request = S3Request.object("GET", valid(bucket), ObjectKeys.requireValidKey(key));
    if (options.versionId() != null) {
      request.query("versionId", options.versionId());
    }
    if (options.ifNoneMatch() != null) {
      request.header("If-None-Match", quote(options.ifNoneMatch()));
    }
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              Instant date = response.date();
              return switch (response.status()) {
                case 200 ->
                    new GetResult.Found(
                        new StoredObject(metadata(request, key, response), response.body()), date);
                case 304 -> new GetResult.NotModified(date);
                case 404 -> notFoundOrFail(request, response, result.attempts());
                default -> throw transport.failure(request, response, result.attempts());
              };
            });
  }

  private GetResult notFoundOrFail(S3Request request, S3Transport.Response response, int attempts) {
    String code = S3Xml.parseError(response.body()).code();
    if ("NoSuchBucket".equals(code)) {
      throw transport.failure(request, response, attempts);
    }
    return new GetResult.NotFound(response.date());
  }

  /** PutObject, conditional or not. */
  public CompletableFuture<PutOutcome> put(
      String bucket, String key, byte[] body, PutOptions options) {
    S3Request request = S3Request.object("PUT", valid(bucket), ObjectKeys.requireValidKey(key));
    request
        .header("Content-Type", options.contentType())
        .body(body.clone())
        .resendWithin(options.resendWithin());
    if (options.requireAbsent()) {
      request.header("If-None-Match", "*");
    } else if (options.ifMatch() != null) {
      request.header("If-Match", quote(options.ifMatch()));
    }
    byte[] digest = Md5.digest(body);
    request.header("Content-MD5", Md5.base64(digest));
    String expectedEtag = HexFormat.of().formatHex(digest);
    long deadline = transport.deadlineFromNow(); // the read-back of a lost answer shares it
    return send(request)
        .thenCompose(
            result -> {
              S3Transport.Response response = result.response();
              ObjectStoreException failure = result.failure();
              boolean ambiguous = options.conditional() && result.mayHaveApplied();
              if (failure != null) {
                if (ambiguous) {
                  return settle(bucket, key, expectedEtag, failure, deadline);
                }
                throw failure;
              }
              if (response == null) {
                throw new IllegalStateException("a result has a response or a failure");
              }
              int status = response.status();
              if (status == 200) {
                String etag = response.header("etag");
                return CompletableFuture.completedFuture(
                    new PutOutcome.Written(
                        etag == null ? expectedEtag : S3Xml.unquote(etag),
                        response.header("x-amz-version-id"),
                        response.date()));
              }
              // If-Match on a missing key: AWS and S3Proxy answer 404 NoSuchKey, not 412.
              boolean missing =
                  status == 404
                      && options.ifMatch() != null
                      && "NoSuchKey".equals(S3Xml.parseError(response.body()).code());
              if ((status == 412 || missing) && options.conditional()) {
                if (ambiguous) {
                  ObjectStoreException lost =
                      new ObjectStoreException(
                          Kind.UNAVAILABLE,
                          request.describe()
                              + " at "
                              + endpoint()
                              + ": an attempt's answer was lost, then a retry found the"
                              + " precondition failed",
                          null);
                  return settle(bucket, key, expectedEtag, lost, deadline);
                }
                return CompletableFuture.completedFuture(
                    new PutOutcome.PreconditionFailed(response.date()));
              }
              throw transport.failure(request, response, result.attempts());
            });
  }

  /**
   * Settles a conditional write whose outcome is in doubt by reading the object back: it holds
   * exactly this body (same MD5 ETag) only if the write landed, as writers of conditional objects
   * write unique bodies. Anything else, a failed read included, is reported as unknown. The read is
   * part of the write's call: it ends by the write's deadline (at once when none is left).
   */
  private CompletableFuture<PutOutcome> settle(
      String bucket, String key, String expectedEtag, ObjectStoreException doubt, long deadline) {
    return head(bucket, key, deadline)
        .handle(
            (metadata, error) -> {
              if (error == null
                  && metadata.isPresent()
                  && metadata.get().etag().equals(expectedEtag)) {
                return new PutOutcome.Written(
                    expectedEtag, metadata.get().versionId(), (Instant) null);
              }
              return new PutOutcome.OutcomeUnknown(doubt);
            });
  }

  /** HeadObject. */
  public CompletableFuture<Optional<ObjectMetadata>> head(String bucket, String key) {
    return head(bucket, key, transport.deadlineFromNow());
  }

  private CompletableFuture<Optional<ObjectMetadata>> head(
      String bucket, String key, long deadline) {
    S3Request request = S3Request.object("HEAD", valid(bucket), ObjectKeys.requireValidKey(key));
    return send(request, deadline)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              if (response.status() == 200) {
                return Optional.of(metadata(request, key, response));
              }
              if (response.status() == 404) {
                return Optional.empty();
              }
              throw transport.failure(request, response, result.attempts());
            });
  }

  /** DeleteObject; a missing key is no failure. */
  public CompletableFuture<Void> delete(String bucket, String key) {
    S3Request request = S3Request.object("DELETE", valid(bucket), ObjectKeys.requireValidKey(key));
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              int status = response.status();
              if (status == 204 || status == 200) {
                return null;
              }
              if (status == 404) {
                notFoundOrFail(request, response, result.attempts());
                return null;
              }
              throw transport.failure(request, response, result.attempts());
            });
  }

  /** ListObjectsV2 with {@code encoding-type=url}. */
  public CompletableFuture<ListPage> list(String bucket, ListRequest list) {
    S3Request request = S3Request.bucket("GET", valid(bucket));
    request.query("list-type", "2").query("encoding-type", "url");
    request.query("max-keys", Integer.toString(list.maxKeys()));
    if (!list.prefix().isEmpty()) {
      request.query("prefix", list.prefix());
    }
    if (list.startAfter() != null) {
      request.query("start-after", list.startAfter());
    }
    if (list.continuationToken() != null) {
      request.query("continuation-token", list.continuationToken());
    }
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              if (response.status() != 200) {
                throw transport.failure(request, response, result.attempts());
              }
              try {
                S3Xml.ListResult page = S3Xml.parseList(response.body());
                return new ListPage(page.objects(), page.nextContinuationToken(), response.date());
              } catch (S3Xml.MalformedXmlException e) {
                throw new ObjectStoreException(
                    Kind.CORRUPT_RESPONSE,
                    request.describe() + " at " + endpoint() + ": " + e.getMessage(),
                    e);
              }
            });
  }

  /** CreateBucket; a bucket this account already owns is no failure. */
  public CompletableFuture<Void> createBucket(String bucket) {
    S3Request request = S3Request.bucket("PUT", valid(bucket));
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              if (response.status() == 200) {
                return null;
              }
              String code = S3Xml.parseError(response.body()).code();
              if (response.status() == 409 && "BucketAlreadyOwnedByYou".equals(code)) {
                return null;
              }
              throw transport.failure(request, response, result.attempts());
            });
  }

  /** PutBucketVersioning (Enabled). */
  public CompletableFuture<Void> enableVersioning(String bucket) {
    S3Request request = S3Request.bucket("PUT", valid(bucket)).query("versioning", "");
    request
        .header("Content-Type", "application/xml")
        .body(VERSIONING_ENABLED.getBytes(StandardCharsets.UTF_8));
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              if (response.status() != 200) {
                throw transport.failure(request, response, result.attempts());
              }
              return null;
            });
  }

  /** GetBucketVersioning: whether the status is Enabled. */
  public CompletableFuture<Boolean> versioningEnabled(String bucket) {
    S3Request request = S3Request.bucket("GET", valid(bucket)).query("versioning", "");
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              if (response.status() != 200) {
                throw transport.failure(request, response, result.attempts());
              }
              try {
                return "Enabled".equals(S3Xml.parseVersioningStatus(response.body()));
              } catch (S3Xml.MalformedXmlException e) {
                throw new ObjectStoreException(
                    Kind.CORRUPT_RESPONSE,
                    request.describe() + " at " + endpoint() + ": " + e.getMessage(),
                    e);
              }
            });
  }

  /** GetBucketCors: the rules, or empty when the bucket has none. */
  public CompletableFuture<Optional<List<Map<String, List<String>>>>> corsRules(String bucket) {
    S3Request request = S3Request.bucket("GET", valid(bucket)).query("cors", "");
    return send(request)
        .thenApply(
            result -> {
              S3Transport.Response response = ok(request, result);
              if (response.status() == 404
                  && "NoSuchCORSConfiguration".equals(S3Xml.parseError(response.body()).code())) {
                return Optional.empty();
              }
              if (response.status() != 200) {
                throw transport.failure(request, response, result.attempts());
              }
              try {
                return Optional.of(S3Xml.parseCors(response.body()));
              } catch (S3Xml.MalformedXmlException e) {
                throw new ObjectStoreException(
                    Kind.CORRUPT_RESPONSE,
                    request.describe() + " at " + endpoint() + ": " + e.getMessage(),
                    e);
              }
            });
  }

  @Override
  public void close() {
    closed = true;
    transport.close();
  }

  // ---------------------------------------------------------------------------------------------

  private CompletableFuture<S3Transport.Result> send(S3Request request) {
    return send(request, transport.deadlineFromNow());
  }

  private CompletableFuture<S3Transport.Result> send(S3Request request, long deadline) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new ObjectStoreException(Kind.CLOSED, "S3 store at " + endpoint() + " is closed", null));
    }
    return transport.send(request, deadline);
  }

  /** The response of a call that got one; its failure, thrown, otherwise. */
  private static S3Transport.Response ok(S3Request request, S3Transport.Result result) {
    if (result.failure() != null) {
      throw result.failure();
    }
    S3Transport.Response response = result.response();
    if (response == null) {
      throw new IllegalStateException("no response and no failure for " + request.describe());
    }
    return response;
  }

  private ObjectMetadata metadata(S3Request request, String key, S3Transport.Response response) {
    String etag = response.header("etag");
    String lastModified = response.header("last-modified");
    Instant modified = lastModified == null ? null : HttpDates.parse(lastModified);
    if (etag == null || modified == null) {
      throw new ObjectStoreException(
          Kind.CORRUPT_RESPONSE,
          request.describe()
              + " at "
              + endpoint()
              + ": the answer lacks a readable ETag or Last-Modified header",
          null);
    }
    String length = response.header("content-length");
    long size = length != null ? Long.parseLong(length.trim()) : response.body().length;
    return new ObjectMetadata(
        key, S3Xml.unquote(etag), modified, size, response.header("x-amz-version-id"));
  }

  private static String valid(String bucket) {
    return ObjectKeys.requireValidBucket(bucket);
  }

  private static String quote(String etag) {
    return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
  }
}
