package io.mps3.cli;

import io.mps3.Mps3Client;
import io.mps3.Protocol;
import io.mps3.spi.ObjectStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A subcommand that works on a manifest: opens the store and a client, runs, closes both. */
abstract class StoreCommand implements Callable<Integer> {

  @Mixin StoreOptions options = new StoreOptions();

  @Option(
      names = "--journal",
      paramLabel = "DIR",
      description =
          "Journal every write in DIR (created if missing) before it is sent: the library's offline"
              + " journal, causal protocol only, one command at a time per DIR. A write the store"
              + " has not taken within the timeout stays in DIR, and the next put, delete or"
              + " import with the same --journal sends it first; reads see it meanwhile, and a"
              + " command that writes nothing (get, keys, export) sends it too, waiting for the"
              + " store at most the timeout before it exits.")
  @Nullable Path journal;

  @Spec CommandSpec spec;

  private boolean wrote;

  /** Runs with an open client; returns the exit code. */
  abstract int run(Mps3Client client, ObjectStore store) throws Exception;

  /** Called with the open store before the client opens (--create-bucket makes the bucket). */
  void prepare(ObjectStore store) {}

  @Override
  public Integer call() throws Exception {
    if (journal != null && options.protocol() == Protocol.STRICT) {
      throw new UsageException(
          "--journal works with the causal protocol only (strict writes go straight to the"
              + " bucket); drop --journal or the strict protocol");
    }
    try (ObjectStore store = options.openStore()) {
      prepare(store);
      try (Mps3Client client = options.client(store, journal)) {
        int exit = run(client, store);
        if (journal != null && !wrote) {
          JournalReplay.await(journal, options.timeout, err(), spec.name());
        }
        return exit;
      }
    }
  }

  /** The writes of this command: through the journal when there is one. */
  Writes writes(Mps3Client client) {
    wrote = true; // its own writes wait for the journal's older ones (Writes)
    return new Writes(client, journal, options.timeout);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
