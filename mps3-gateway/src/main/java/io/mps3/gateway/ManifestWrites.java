package io.mps3.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.mps3.internal.bucket.Parsed;
import io.mps3.internal.causal.CausalEntry;
import io.mps3.internal.causal.CausalLayout;
import io.mps3.internal.strict.StrictEntry;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Manifest writes checked during passthrough, after the rules allowed the request by name and
 * before it is forwarded (design 0014, "Manifest-write validation"). A PUT of a manifest's log
 * object is buffered (up to {@code validation.maxEntryBytes}), parsed with the library's codecs and
 * checked for what it changes:
 *
 * <ul>
 *   <li>a strict slot ({@code M/log/<n>}) must be created with {@code If-None-Match: *}, and every
 *       document key its {@code files} patch touches must be one the caller may write;
 *   <li>a causal entry ({@code M@<T>_<S>_<C>}) carries the whole state: the manifest is resolved
 *       through the upstream as it is and as it would be with the entry in the log (the library's
 *       resolver both times), and every document key whose version differs must be one the caller
 *       may write;
 *   <li>checkpoints, heads, and deletes or multipart uploads of any of these only for a caller the
 *       trusted rule allows.
 * </ul>
 *
 * "May write" asks the rules with {@code request.operation} {@code write}, {@code request.key} the
 * document key, {@code request.bucket} its bucket and {@code request.manifest} the manifest. Any
 * PUT over {@code validation.maxValueBytes} is refused too. Thread-safe.
 */
final class ManifestWrites implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ManifestWrites.class.getName());

  /** Opens the request's body; called at most once, and only for a body this class checks. */
  @FunctionalInterface
  interface BodySource {
    InputStream open() throws IOException;
  }

  /** What the check says: an answer to send instead of forwarding, or the body to forward. */
  static final class Outcome {
    static final Outcome PASS = new Outcome(null, null);

    private final @Nullable XmlAnswer refusal;
    private final byte @Nullable [] body;

    private Outcome(@Nullable XmlAnswer refusal, byte @Nullable [] body) {
      this.refusal = refusal;
      this.body = body;
    }

    /** The answer to send instead of forwarding, or null to forward. */
    @Nullable XmlAnswer refusal() {
      return refusal;
    }

    /** The body read to check it (forward these bytes), or null when it was not read. */
    byte @Nullable [] body() {
      return body;
    }
  }

  private final Rules rules;
  private final ManifestValidationConfig config;
  private final UpstreamManifests upstream;

  ManifestWrites(Rules rules, ManifestValidationConfig config, UpstreamManifests upstream) {
    this.rules = rules;
    this.config = config;
    this.upstream = upstream;
  }

  /**
   * Checks a request the rules allowed.
   *
   * @param ifNoneMatch the request's {@code If-None-Match}, or null
   * @param length the declared body length
   * @param payloadHash the signed {@code x-amz-content-sha256}
   */
  Outcome check(
      Session session,
      S3Operation operation,
      @Nullable String ifNoneMatch,
      long length,
      String payloadHash,
      BodySource body)
      throws IOException {
    String name = operation.name();
    String resource = operation.bucket() + "/" + operation.key();
    if ((name.equals("PutObject") || name.equals("UploadPart"))
        && length > config.maxValueBytes()) {
      return refuse(tooLarge(resource, length, config.maxValueBytes(), "validation.maxValueBytes"));
    }
    // A multipart upload would write a manifest object without one body to check.
    boolean multipart = name.endsWith("MultipartUpload") || name.equals("UploadPart");
    ManifestObject object =
        name.equals("PutObject") || name.equals("DeleteObject") || multipart
            ? operation.manifestObject()
            : null;
    if (object == null) {
      return Outcome.PASS;
    }
    String what = describe(object);
    if (!name.equals("PutObject")
        || object.kind() == ManifestObject.Kind.CHECKPOINT
        || object.kind() == ManifestObject.Kind.SEGMENT
        || object.kind() == ManifestObject.Kind.HEAD) {
      String trusted = config.trustedRule();
      return trusted != null && rules.allows(trusted, session, operation, object.manifest())
          ? Outcome.PASS
          : refuse(
              XmlAnswer.accessDenied(
                  "only a trusted caller (rule "
                      + (trusted == null ? "none configured" : trusted)
                      + ") may "
                      + (multipart
                          ? "upload in parts "
                          : name.equals("DeleteObject") ? "delete " : "write ")
                      + what,
                  resource));
    }
    if (length > config.maxEntryBytes()) {
      return refuse(tooLarge(resource, length, config.maxEntryBytes(), "validation.maxEntryBytes"));
    }
    if (object.kind() == ManifestObject.Kind.STRICT_SLOT
        && !"*".equals(ifNoneMatch == null ? null : ifNoneMatch.trim())) {
      return refuse(
          XmlAnswer.accessDenied(
              what + " must be created with If-None-Match: * (a slot is never overwritten)",
              resource));
    }
    byte[] bytes;
    try (InputStream in = open(body, length, payloadHash)) {
      bytes = in.readNBytes((int) length);
    } catch (PayloadCheckingStream.Mismatch e) {
      return refuse(
          XmlAnswer.s3Error(
              400, "XAmzContentSHA256Mismatch", String.valueOf(e.getMessage()), resource));
    }
    Collection<String> changed;
    if (object.kind() == ManifestObject.Kind.STRICT_SLOT) {
      Parsed<StrictEntry> entry = StrictEntry.parse(operation.key(), object.slot(), bytes);
      if (entry instanceof Parsed.Invalid<StrictEntry> invalid) {
        return refuse(malformed(what, invalid.reason(), resource));
      }
      changed = ((Parsed.Valid<StrictEntry>) entry).value().files().keySet();
    } else {
      if (CausalEntry.parse(operation.key(), bytes) instanceof Parsed.Invalid<CausalEntry> bad) {
        return refuse(malformed(what, bad.reason(), resource));
      }
      // What readers resolve now and once this entry is in the log: the library's own resolution
      // both times, so an entry whose files lag behind writes the replay window covers passes.
      try {
        UpstreamManifests.CausalWrite after =
            upstream.causalStateWith(operation.bucket(), object.manifest(), operation.key(), bytes);
        String problem = after.problem();
        if (problem != null) {
          // Readers would not all take it as checked (dropped now and valid once landed, a
          // rewrite, or a false window claim: design 0024): refused whatever the rules say.
          return refuse(malformed(what, problem, resource));
        }
        changed =
            changedUrls(upstream.causalState(operation.bucket(), object.manifest()), after.state());
      } catch (CompletionException e) {
        LOG.log(Level.WARNING, "cannot resolve " + what + " in the upstream: " + e.getCause());
        return refuse(
            XmlAnswer.s3Error(
                503,
                "ServiceUnavailable",
                "the gateway could not read the manifest to check " + what,
                resource));
      }
    }
    for (String url : changed) {
      if (!mayWrite(session, operation.bucket(), url, object.manifest())) {
        return refuse(
            XmlAnswer.accessDenied(
                what + " changes " + url + ", which no rule lets this caller write", resource));
      }
    }
    return new Outcome(null, bytes);
  }

  /** The file URLs whose version differs between two resolved states. */
  private static Collection<String> changedUrls(JsonNode beforeState, JsonNode afterState) {
    JsonNode before = beforeState.path("files");
    JsonNode after = afterState.path("files");
    Set<String> urls = new TreeSet<>();
    after.fieldNames().forEachRemaining(urls::add);
    before.fieldNames().forEachRemaining(urls::add);
    urls.removeIf(url -> Objects.equals(version(after, url), version(before, url)));
    return urls;
  }

  /** A file's version as readers take it (CausalView): anything but a text version is absent. */
  private static @Nullable String version(JsonNode files, String url) {
    JsonNode version = files.path(url).path("version");
    return version.isTextual() ? version.asText() : null;
  }

  private boolean mayWrite(Session session, String bucket, String url, String manifest) {
    String key = CausalLayout.dbKey(bucket, url);
    String inBucket = bucket;
    if (key == null) { // a file URL of another bucket: <bucket>/<key>, bucket names hold no '/'
      int slash = url.indexOf('/');
      if (slash <= 0) {
        return false;
      }
      inBucket = url.substring(0, slash);
      key = url.substring(slash + 1);
    }
    return rules.decide(session, new S3Operation("write", inBucket, key, ""), manifest).allowed();
  }

  private static InputStream open(BodySource body, long length, String payloadHash)
      throws IOException {
    InputStream in = body.open();
    return payloadHash.equals(SigV4.UNSIGNED_PAYLOAD)
        ? in
        : new PayloadCheckingStream(in, length, payloadHash);
  }

  private static String describe(ManifestObject object) {
    return switch (object.kind()) {
      case CAUSAL_ENTRY -> "a log entry of causal manifest " + object.manifest();
      case STRICT_SLOT -> "slot " + object.slot() + " of strict manifest " + object.manifest();
      case CHECKPOINT -> "checkpoint " + object.slot() + " of strict manifest " + object.manifest();
      case HEAD -> "the head of strict manifest " + object.manifest();
      case SEGMENT -> "a checkpoint segment of strict manifest " + object.manifest();
    };
  }

  private static XmlAnswer tooLarge(String resource, long length, long limit, String option) {
    return XmlAnswer.s3Error(
        400,
        "EntityTooLarge",
        "a body of " + length + " bytes is over the gateway's " + option + " (" + limit + ")",
        resource);
  }

  private static XmlAnswer malformed(String what, String reason, String resource) {
    return XmlAnswer.s3Error(400, "InvalidArgument", what + " is malformed: " + reason, resource);
  }

  @Override
  public void close() {
    upstream.close();
  }

  private static Outcome refuse(XmlAnswer answer) {
    return new Outcome(answer, null);
  }
}
