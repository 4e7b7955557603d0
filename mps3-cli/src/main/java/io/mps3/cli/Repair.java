package io.mps3.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ManifestCheck;
import io.mps3.Quarantine;
import io.mps3.spi.ObjectStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Moves the objects of a manifest that no client can read into the quarantine. */
@Command(
    mixinStandardHelpOptions = true,
    name = "repair",
    description = {
      "Moves the objects of a manifest that no client can read aside, into a quarantine.",
      "Checks the manifest as `doctor --manifest` does and shows the plan: each object no client"
          + " can read and where it goes. Only with --yes does it act: it copies each one to "
          + Quarantine.PREFIX
          + "<UTC time>/<original key>, reads the copy back, and only if the bytes are the same"
          + " removes the original (a strict log slot is refilled with an entry that changes"
          + " nothing, so the log keeps its order). Nothing is ever deleted outright, and nothing"
          + " else is touched: skewed entries (valid; readers ignore them, autoclean removes"
          + " them), and keys that only start with the manifest's name (M@x, a user's value and"
          + " its content M@x@<uuid>) stay where they are.",
      "JavaScript clients: they drop an entry name whose time is not base 32 (such as"
          + " M@2bmrrbt9z_zzzzzzzzzz_vv) as a clock skew, and their cleanup may delete it, and they"
          + " cannot use an entry whose body is not an entry either; so moving these changes no"
          + " reader's state, in either client. A content object that is not JSON reads as absent"
          + " before and after. Runs against a live manifest are safe: an object that changed"
          + " since the check is left alone."
    },
    footer = {
      "",
      "Exit code 1: a dry run found objects to move, or an object changed during the repair (run"
          + " it again). Exit code 3: the store failed (objects moved before stay moved; the one"
          + " in progress is in its place, perhaps also copied).",
      "",
      "Examples:",
      "  mps3 repair --manifest rooms/lobby.json",
      "  mps3 repair --manifest rooms/lobby.json --yes"
    })
final class Repair implements Callable<Integer> {

  @Mixin StoreOptions options = new StoreOptions();

  @Mixin JsonOption json = new JsonOption();

  @Option(names = "--yes", description = "Move the objects (default: show the plan only).")
  boolean yes;

  @Option(
      names = "--dry-run",
      description = "Show the plan and change nothing (the default; not with --yes).")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (yes && dryRun) {
      throw new UsageException("--yes and --dry-run exclude each other");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ObjectStore store = options.openStore()) {
      ManifestCheck check =
          ManifestCheck.check(store, options.bucket, options.manifest, options.protocol());
      Quarantine quarantine = Quarantine.at(Instant.now());
      List<ManifestCheck.Finding> moves =
          check.findings().stream().filter(f -> ManifestFindings.movable(f, quarantine)).toList();
      if (json.json) {
        ObjectNode plan = ManifestFindings.json(options, check);
        plan.remove("unreadable");
        ArrayNode steps = plan.putArray("plan");
        check.findings().forEach(f -> steps.add(ManifestFindings.planJson(f, quarantine)));
        out.println(plan.put("toMove", moves.size()).put("dryRun", !yes));
      } else {
        ManifestFindings.heading(out, options);
        for (ManifestCheck.Finding finding : check.findings()) {
          out.println(ManifestFindings.plan(finding, quarantine));
        }
      }
      if (moves.isEmpty()) {
        if (!json.json) {
          out.println("nothing to move");
        }
        return 0;
      }
      if (!yes) {
        if (!json.json) {
          out.println(
              "dry run: nothing changed; run again with --yes to move "
                  + moves.size()
                  + " object(s)");
        }
        return 1;
      }
      boolean changed = false;
      for (ManifestCheck.Finding finding : moves) {
        out.flush(); // what was done so far is shown even if the next move fails
        Quarantine.Outcome outcome = quarantine.moveAside(store, options.bucket, finding);
        changed |= outcome != Quarantine.Outcome.MOVED && outcome != Quarantine.Outcome.GONE;
        out.println(
            json.json
                ? outcomeJson(finding, outcome, quarantine)
                : outcome(finding, outcome, quarantine));
      }
      return changed ? 1 : 0;
    }
  }

  private static String outcome(
      ManifestCheck.Finding finding, Quarantine.Outcome outcome, Quarantine quarantine) {
    String key = Json.key(finding.key());
    return switch (outcome) {
      case MOVED -> "moved " + key + " -> " + Json.key(quarantine.keyFor(finding.key()));
      case GONE -> "gone " + key + " (removed by someone else since the check)";
      default -> "changed " + key + " since the check: left alone; run repair again";
    };
  }

  /** {@code {"key", "outcome": "moved", "to"}}, or "gone", or "changed" (left alone). */
  private static ObjectNode outcomeJson(
      ManifestCheck.Finding finding, Quarantine.Outcome outcome, Quarantine quarantine) {
    ObjectNode line = Json.MAPPER.createObjectNode().put("key", finding.key());
    return switch (outcome) {
      case MOVED -> line.put("outcome", "moved").put("to", quarantine.keyFor(finding.key()));
      case GONE -> line.put("outcome", "gone");
      default -> line.put("outcome", "changed");
    };
  }
}
