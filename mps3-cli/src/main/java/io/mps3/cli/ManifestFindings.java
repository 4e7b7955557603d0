package io.mps3.cli;

import io.mps3.ManifestCheck;
import io.mps3.Quarantine;
import java.io.PrintWriter;

/** Prints what {@link ManifestCheck} found, for {@code doctor --manifest} and {@code repair}. */
final class ManifestFindings {

  private ManifestFindings() {}

  /** The heading: which manifest, which protocol, where. */
  static void heading(PrintWriter out, StoreOptions options) {
    out.println(
        "manifest "
            + Json.key(options.manifest)
            + " ("
            + options.protocol
            + ") in "
            + options.where()
            + ":");
  }

  /** One line a finding: its key and the reason (never the body). */
  static void list(PrintWriter out, ManifestCheck check) {
    for (ManifestCheck.Finding finding : check.findings()) {
      out.println("unreadable " + Json.key(finding.key()) + ": " + oneLine(finding.reason()));
    }
  }

  /** The counts. */
  static void summary(PrintWriter out, ManifestCheck check) {
    out.println(
        check.validCount()
            + " valid, "
            + check.findings().size()
            + " unreadable, "
            + check.ignoredCount()
            + " left alone (skewed entries, or not the manifest's: readers ignore them)");
  }

  /** One line of the repair plan: where the object goes, or why it stays. */
  static String plan(ManifestCheck.Finding finding, Quarantine quarantine) {
    String key = Json.key(finding.key());
    String why = oneLine(finding.reason());
    String problem = quarantine.problem(finding.key());
    switch (finding.action()) {
      case NONE -> {
        return "leave " + key + ": " + why + " (nothing to move)";
      }
      case MOVE_AND_FILL_SLOT -> {
        if (problem != null) {
          return "leave " + key + ": " + problem;
        }
        return "move "
            + key
            + " -> "
            + Json.key(quarantine.keyFor(finding.key()))
            + ", then fill its slot with an empty entry: "
            + why;
      }
      default -> {
        if (problem != null) {
          return "leave " + key + ": " + problem;
        }
        return "move " + key + " -> " + Json.key(quarantine.keyFor(finding.key())) + ": " + why;
      }
    }
  }

  /** Whether a repair moves the finding. */
  static boolean movable(ManifestCheck.Finding finding, Quarantine quarantine) {
    return finding.action() != ManifestCheck.Finding.Action.NONE
        && quarantine.problem(finding.key()) == null;
  }

  /** A reason on one line: a reason may quote a name from the bucket. */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
