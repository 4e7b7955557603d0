package io.mps3.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ManifestCheck;
import io.mps3.spi.ObjectStore;
import io.mps3.spi.ObjectStoreException;
import io.mps3.store.CorsRules;
import io.mps3.store.S3ObjectStore;
import io.mps3.store.StoreProbe;
import io.mps3.store.StoreReport;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks what the bucket supports. */
@Command(
    mixinStandardHelpOptions = true,
    name = "doctor",
    description = {
      "Checks what the bucket supports, or (--manifest) that a manifest's objects are readable.",
      "Tries what the bucket supports and prints it: conditional writes under racing writers,"
          + " versioning, clock offset, LastModified precision, the protocols it can use, and (S3)"
          + " whether its CORS rules let browsers running the JavaScript client use it. Writes and"
          + " deletes a few hundred small objects under .mps3-probe/.",
      "With --manifest M: instead checks that manifest, read-only. Lists every object of its log"
          + " (causal: M@<time>_<session>_<counter>; --strict: M/log/<n>, M/checkpoint/<n>,"
          + " M/segment/<sha256>, M/head) and every content object its state references that clients cannot read,"
          + " with the key and the reason, never the body; then counts the valid ones. Skewed"
          + " entries and other objects that only start with M's name are not the manifest's"
          + " garbage: counted as left alone. `mps3 repair` moves the unreadable ones aside. A"
          + " causal manifest's size is printed too: its keys, and the bytes each put writes to"
          + " its log (every entry carries the whole state)."
    },
    footer = {
      "",
      "Exit code 1: --manifest found objects clients cannot read (without --manifest, 0 once the"
          + " probe ran).",
      "",
      "Examples:",
      "  mps3 doctor",
      "  mps3 doctor --manifest rooms/lobby.json --strict --json",
      "  mps3 doctor --endpoint https://s3.eu-west-1.amazonaws.com --bucket my-bucket"
    })
final class Doctor implements Callable<Integer> {

  /** Whether browsers can use the bucket: ready, not ready, or unknown (null). */
  private record Browsers(@Nullable Boolean ready, String text) {}

  @Mixin StoreOptions options = new StoreOptions();

  @Mixin JsonOption json = new JsonOption();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ObjectStore store = options.openStore()) {
      PrintWriter out = spec.commandLine().getOut();
      if (spec.commandLine().getParseResult().hasMatchedOption("--manifest")) {
        ManifestCheck check =
            ManifestCheck.check(store, options.bucket, options.manifest, options.protocol());
        if (json.json) {
          out.println(ManifestFindings.size(ManifestFindings.json(options, check), check));
        } else {
          ManifestFindings.heading(out, options);
          ManifestFindings.list(out, check);
          ManifestFindings.summary(out, check);
          ManifestFindings.size(out, check);
        }
        return check.findings().isEmpty() ? 0 : 1;
      }
      Probe probe = probe(store, options.bucket);
      if (json.json) {
        out.println(probe.json());
      } else {
        out.print(probe.text());
      }
      return 0;
    }
  }

  /** What the probe found, as {@code doctor} prints it and as {@code doctor --json} does. */
  record Probe(String text, ObjectNode json) {}

  /** Runs the capability probe on the bucket (also for the console's store report). */
  static Probe probe(ObjectStore store, String bucket) {
    StoreReport report = StoreProbe.create().probe(store, bucket);
    Browsers browsers =
        store instanceof S3ObjectStore s3ObjectStore ? browsers(s3ObjectStore, bucket) : null;
    String text = report.toText();
    if (browsers != null) {
      text += "browsers (JavaScript client):  " + browsers.text() + "\n";
    }
    return new Probe(text, json(report, browsers));
  }

  /** The probe's facts as one JSON object (its shape is in the README). */
  private static ObjectNode json(StoreReport report, @Nullable Browsers browsers) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("store", report.store());
    ObjectNode create = out.putObject("createIfAbsent");
    create.put("existingKeyRefused", report.staleCreateRejected());
    race(create.putObject("concurrent"), report.conditionalCreate());
    ObjectNode replace = out.putObject("replaceIfMatch");
    replace.put("staleEtagRefused", report.staleReplaceRejected());
    race(replace.putObject("concurrent"), report.conditionalReplace());
    out.put("versioning", report.versioning());
    if (report.clockOffset() == null) {
      out.putNull("clockOffsetMillis");
    } else {
      out.put("clockOffsetMillis", report.clockOffset().toMillis());
    }
    out.put("writeRoundTripMillis", report.roundTrip().toMillis());
    out.put("lastModifiedMillis", report.lastModifiedMillis());
    ArrayNode protocols = out.putArray("protocols").add("causal");
    if (report.strictProtocolSupported()) {
      protocols.add("strict");
    }
    ArrayNode notes = out.putArray("notes");
    report.notes().forEach(notes::add);
    if (browsers != null) {
      ObjectNode node = out.putObject("browsers").put("detail", browsers.text());
      if (browsers.ready() == null) {
        node.putNull("ready");
      } else {
        node.put("ready", browsers.ready());
      }
    }
    return out;
  }

  private static void race(ObjectNode out, StoreReport.RaceResult race) {
    out.put("atomic", race.atomic())
        .put("rounds", race.rounds())
        .put("racers", race.racers())
        .put("roundsWithOneWinner", race.roundsWithOneWinner())
        .put("mostWinners", race.mostWinners());
  }

  private static Browsers browsers(S3ObjectStore store, String bucket) {
    Optional<CorsRules> rules;
    try {
      rules = store.corsRules(bucket).join();
    } catch (CompletionException e) {
      String why =
          e.getCause() instanceof ObjectStoreException
              ? e.getCause().getMessage()
              : String.valueOf(e.getCause());
      return new Browsers(null, "unknown: the store does not answer GetBucketCors (" + why + ")");
    }
    if (rules.isPresent() && rules.get().servesBrowserClients()) {
      return new Browsers(
          true,
          "ready (a CORS rule allows GET, PUT, DELETE and exposes ETag, X-Amz-Version-Id, Date)");
    }
    return new Browsers(
        false,
        "NOT ready: no CORS rule allows GET, PUT, DELETE and exposes ETag, X-Amz-Version-Id and"
            + " Date; add one such as "
            + CorsRules.SUGGESTED_RULE);
  }
}
