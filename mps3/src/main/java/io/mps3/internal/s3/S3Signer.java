package io.mps3.internal.s3;

import io.mps3.internal.util.Md5;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Turns an {@link S3Request} into a SigV4-signed {@code java.net.http} request (see S3-SERVERS.md:
 * the encoded path given to the signer is the one sent; payloads are not signed, bodies carry
 * {@code Content-MD5}). Thread-safe.
 */
final class S3Signer {

  /** Headers {@code java.net.http} sets itself and refuses from callers. */
  private static final Set<String> UNSENDABLE =
      Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final S3Settings settings;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  S3Signer(S3Settings settings) {
    this.settings = settings;
  }

  /** The signed request, to be answered within {@code timeout}. */
  HttpRequest sign(S3Request request, AwsCredentialsIdentity identity, Duration timeout) {
    URI endpoint = settings.endpoint();
    String host = endpoint.getHost();
    StringBuilder path = new StringBuilder("/");
    if (request.bucket != null) {
      if (settings.pathStyle()) {
        path.append(S3Encoding.value(request.bucket));
        if (request.key != null) {
          path.append('/');
        }
      } else {
        host = request.bucket + "." + host;
      }
    }
    if (request.key != null) {
      path.append(S3Encoding.path(request.key));
    }
    byte[] body = request.body;
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method))
            .protocol(endpoint.getScheme())
            .host(host)
            .port(endpoint.getPort())
            .encodedPath(path.toString());
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> parameter : request.query.entrySet()) {
      unsigned.appendRawQueryParameter(parameter.getKey(), parameter.getValue());
      query.append(query.length() == 0 ? '?' : '&').append(S3Encoding.value(parameter.getKey()));
      query.append('=').append(S3Encoding.value(parameter.getValue()));
    }
    request.headers.forEach(unsigned::putHeader);
    // PutObject sets it, from the digest it needs anyway; hashing a large body twice shows.
    if (body != null && !request.headers.containsKey("Content-MD5")) {
      unsigned.putHeader("Content-MD5", Md5.base64(Md5.digest(body)));
    }
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(unsigned.build())
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, settings.region())
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    String portPart = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
    URI uri = URI.create(endpoint.getScheme() + "://" + host + portPart + path + query);
    HttpRequest.Builder out =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .method(
                request.method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!UNSENDABLE.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        for (String value : header.getValue()) {
          out.header(header.getKey(), value);
        }
      }
    }
    return out.build();
  }
}
