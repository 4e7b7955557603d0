package io.mps3.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mps3.ManifestLog;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a manifest's log and resolved state. */
@Command(
    mixinStandardHelpOptions = true,
    name = "log",
    description = {
      "Prints the manifest's log and the state readers resolve from it.",
      "Prints the manifest's log as it lies in the bucket, newest first, one JSON line an object"
          + " (key, time, session, lastModified, size, status: VALID, SKEWED, UNREADABLE or"
          + " NOT_AN_ENTRY), then the state readers resolve: {\"state\": {url: version}}."
          + " Read-only.",
      "With --strict: the newest slots, newest first, each with its entry, then the checkpoints"
          + " and the head."
    },
    footer = {"", "Example:", "  mps3 log --manifest rooms/lobby.json"})
final class Log implements Callable<Integer> {

  @Mixin StoreOptions options = new StoreOptions();

  @Mixin JsonOption json = new JsonOption();

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Read the bodies of at most N entries (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int limit = 1000;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (ObjectStore store = options.openStore()) {
      if (options.protocol() == Protocol.STRICT) {
        StrictLogPrinter.print(store, options.bucket, options.manifest, limit, out);
        return 0;
      }
      ManifestLog log = ManifestLog.read(store, options.bucket, options.manifest, limit);
      for (ManifestLog.Entry entry : log.entries()) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("key", entry.key());
        if (entry.time() != null) {
          line.put("time", entry.time().toString()).put("session", entry.session());
        }
        line.put("lastModified", entry.lastModified().toString()).put("size", entry.size());
        line.put("status", entry.status().name());
        out.println(line);
      }
      ObjectNode state = Json.MAPPER.createObjectNode();
      ObjectNode files = state.putObject("state");
      for (Map.Entry<String, String> file : log.state().entrySet()) {
        files.put(file.getKey(), file.getValue());
      }
      out.println(state);
      return 0;
    }
  }
}
