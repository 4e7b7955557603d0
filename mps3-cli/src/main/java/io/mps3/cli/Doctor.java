package io.mps3.cli;

import io.mps3.ManifestCheck;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.store.CorsRules;
import io.mps3.store.S3ObjectStore;
import io.mps3.store.StoreProbe;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks what the bucket supports. */
@Command(
    mixinStandardHelpOptions = true,
    name = "doctor",
    description = {
      "Tries what the bucket supports and prints it: conditional writes under racing writers,",
      "versioning, clock offset, LastModified precision, the protocols it can use, and (S3)",
      "whether its CORS rules let browsers running the JavaScript client use it.",
      "Writes and deletes a few hundred small objects under .mps3-probe/.",
      "With --manifest M: instead checks that manifest, read-only. Lists every object of its",
      "log (causal: M@<time>_<session>_<counter>; --protocol strict: M/log/<n>,",
      "M/checkpoint/<n>, M/head) and every content object its state references that clients",
      "cannot read, with the key and the reason, never the body; then counts the valid ones.",
      "Skewed entries and other objects that only start with M's name are not the manifest's",
      "garbage: counted as left alone. `mps3 repair` moves the unreadable ones aside."
    },
    footer = {
      "",
      "Exit codes: 0 all readable (or, without --manifest, the probe ran); 1 --manifest found",
      "objects clients cannot read; 2 bad usage; 3 the store failed.",
      "Examples:",
      "  mps3 doctor",
      "  mps3 doctor --manifest rooms/lobby.json --protocol strict",
      "  mps3 doctor --endpoint https://s3.eu-west-1.amazonaws.com --bucket my-bucket"
    })
final class Doctor implements Callable<Integer> {

  @Mixin StoreOptions options = new StoreOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ObjectStore store = options.openStore()) {
      PrintWriter out = spec.commandLine().getOut();
      if (spec.commandLine().getParseResult().hasMatchedOption("--manifest")) {
        ManifestCheck check =
            ManifestCheck.check(store, options.bucket, options.manifest, options.protocol());
        ManifestFindings.heading(out, options);
        ManifestFindings.list(out, check);
        ManifestFindings.summary(out, check);
        return check.findings().isEmpty() ? 0 : 1;
      }
      out.print(StoreProbe.create().probe(store, options.bucket).toText());
      if (store instanceof S3ObjectStore s3ObjectStore) {
        out.println("browsers (JavaScript client):  " + browsers(s3ObjectStore));
      }
      return 0;
    }
  }

  private String browsers(S3ObjectStore store) {
    Optional<CorsRules> rules;
    try {
      rules = store.corsRules(options.bucket).join();
    } catch (CompletionException e) {
      String why =
          e.getCause() instanceof ObjectStoreException
              ? e.getCause().getMessage()
              : String.valueOf(e.getCause());
      return "unknown: the store does not answer GetBucketCors (" + why + ")";
    }
    if (rules.isPresent() && rules.get().servesBrowserClients()) {
      return "ready (a CORS rule allows GET, PUT, DELETE and exposes ETag, X-Amz-Version-Id, Date)";
    }
    return "NOT ready: no CORS rule allows GET, PUT, DELETE and exposes ETag, X-Amz-Version-Id and"
        + " Date; add one such as "
        + CorsRules.SUGGESTED_RULE;
  }
}
