package io.mps3.cli;

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
      "Writes and deletes a few hundred small objects under .mps3-probe/."
    },
    footer = {
      "",
      "Examples:",
      "  mps3 doctor",
      "  mps3 doctor --endpoint https://s3.eu-west-1.amazonaws.com --bucket my-bucket"
    })
final class Doctor implements Callable<Integer> {

  @Mixin StoreOptions options = new StoreOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ObjectStore store = options.openStore()) {
      PrintWriter out = spec.commandLine().getOut();
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
