package io.mps3.cli;

import io.mps3.Mps3Client;
import io.mps3.spi.ObjectStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that works on a manifest: opens the store and a client, runs, closes both. */
abstract class StoreCommand implements Callable<Integer> {

  @Mixin StoreOptions options = new StoreOptions();

  @Spec CommandSpec spec;

  /** Runs with an open client; returns the exit code. */
  abstract int run(Mps3Client client, ObjectStore store) throws Exception;

  @Override
  public Integer call() throws Exception {
    try (ObjectStore store = options.openStore();
        Mps3Client client = options.client(store)) {
      return run(client, store);
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
