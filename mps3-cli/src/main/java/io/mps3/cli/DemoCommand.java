package io.mps3.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The multiplayer demonstration. */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = {
      "Shows three clients sharing a chat room through a bucket, with no server.",
      "Three clients share a chat room through a local directory, with no server; each prints"
          + " what it sees, then the bucket's objects and what the store supports. Takes a few"
          + " seconds."
    },
    footer = {"", "Example:", "  mps3 demo --dir /tmp/mps3-demo"})
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "The local directory (default: ${DEFAULT-VALUE}).",
      defaultValue = "mps3-data")
  Path dir = Path.of("mps3-data");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    new Demo(dir, spec.commandLine().getOut()).run();
    spec.commandLine().getOut().flush();
    return 0;
  }
}
