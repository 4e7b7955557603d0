package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import io.mps3.store.StoreProbe;
import java.util.concurrent.Callable;
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
      "versioning, clock offset, LastModified precision, and the protocols it can use.",
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
      spec.commandLine().getOut().print(StoreProbe.create().probe(store, options.bucket).toText());
      return 0;
    }
  }
}
