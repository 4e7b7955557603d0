package io.mps3.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ManifestCheck;
import io.mps3.Quarantine;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints what {@link ManifestCheck} found, for {@code doctor --manifest} and {@code repair}. */
final class ManifestFindings {

  private ManifestFindings() {}

  /** The heading: which manifest, which protocol, where. */
  static void heading(PrintWriter out, StoreOptions options) {
    out.println(
        "manifest "
            + Json.key(options.manifest)
            + " ("
            + options.protocolName()
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

  /** For {@code doctor}: a causal manifest's size and the cost of a put, one line; else nothing. */
  static void size(PrintWriter out, ManifestCheck check) {
    if (check.keyCount() >= 0) {
      out.println(sizeLine(check));
    }
  }

  /**
   * The same as {@link #size(PrintWriter, ManifestCheck)} into {@link #json}'s object: {@code
   * "keys", "entryBytes"} (the newest entry's size, about what a put writes; -1 when the log is
   * empty) and {@code "keysAdvised"}.
   */
  static ObjectNode size(ObjectNode out, ManifestCheck check) {
    if (check.keyCount() >= 0) {
      out.put("keys", check.keyCount())
          .put("entryBytes", check.entryBytes())
          .put("keysAdvised", ManifestCheck.causalKeysAdvised());
    }
    return out;
  }

  /**
   * A causal manifest's size and what a put costs there: every entry carries the whole state, so a
   * put writes as much as the newest entry holds, and grows with the keys.
   */
  private static String sizeLine(ManifestCheck check) {
    int advised = ManifestCheck.causalKeysAdvised();
    String cost =
        check.entryBytes() < 0
            ? "no entry yet"
            : String.format(
                Locale.ROOT,
                "a put writes about %,d bytes to the log (the newest entry: each carries the whole"
                    + " state)",
                check.entryBytes());
    return String.format(
        Locale.ROOT,
        "size: %,d keys; %s; %s",
        check.keyCount(),
        cost,
        check.keyCount() > advised
            ? String.format(
                Locale.ROOT,
                "over the %,d keys a causal manifest should hold: split it or use a strict one",
                advised)
            : String.format(
                Locale.ROOT, "a causal manifest should hold at most %,d keys", advised));
  }

  /**
   * The same facts as {@link #heading}, {@link #list} and {@link #summary}, as one JSON object:
   * {@code {"manifest", "protocol", "store", "bucket", "unreadable": [{"key", "reason"}], "valid",
   * "leftAlone"}}, and for a causal manifest {@code "keys", "entryBytes"} (the newest entry's size,
   * about what a put writes; -1 when the log is empty) and {@code "keysAdvised"}.
   */
  static ObjectNode json(StoreOptions options, ManifestCheck check) {
    ObjectNode out =
        Json.MAPPER
            .createObjectNode()
            .put("manifest", options.manifest)
            .put("protocol", options.protocolName())
            .put("store", options.store())
            .put("bucket", options.bucket);
    ArrayNode unreadable = out.putArray("unreadable");
    for (ManifestCheck.Finding finding : check.findings()) {
      unreadable.addObject().put("key", finding.key()).put("reason", finding.reason());
    }
    return out.put("valid", check.validCount()).put("leftAlone", check.ignoredCount());
  }

  /**
   * One step of the repair plan as JSON: {@code {"key", "action": "move", "to", "fillSlot",
   * "reason"}} or {@code {"key", "action": "leave", "reason", "leftBecause"}}.
   */
  static ObjectNode planJson(ManifestCheck.Finding finding, Quarantine quarantine) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("key", finding.key());
    String problem = quarantine.problem(finding.key());
    if (finding.action() == ManifestCheck.Finding.Action.NONE || problem != null) {
      return out.put("action", "leave")
          .put("reason", finding.reason())
          .put("leftBecause", problem != null ? problem : "nothing to move");
    }
    return out.put("action", "move")
        .put("to", quarantine.keyFor(finding.key()))
        .put("fillSlot", finding.action() == ManifestCheck.Finding.Action.MOVE_AND_FILL_SLOT)
        .put("reason", finding.reason());
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
