package io.mps3.cli;

import io.mps3.DocumentChange;
import io.mps3.DocumentListener;
import io.mps3.Mps3Client;
import io.mps3.Mps3Exception;
import io.mps3.ReadOptions;
import io.mps3.Subscription;
import io.mps3.spi.ObjectStore;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Streams changes until interrupted. */
@Command(
    mixinStandardHelpOptions = true,
    name = "watch",
    description = {
      "Prints values, then every change, until Ctrl-C.",
      "Prints the current value, then every change, one JSON line each: {\"key\": K, \"value\":"
          + " V}, or {\"key\": K, \"deleted\": true}. Stops on Ctrl-C."
    },
    footer = {
      "",
      "Examples:",
      "  mps3 watch users/42",
      "  mps3 watch --prefix rooms/",
      "  mps3 watch --all"
    })
final class Watch extends StoreCommand {

  static final class Target {
    @Parameters(paramLabel = "KEY", description = "One key.")
    @Nullable String key;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "Every key starting with it.")
    @Nullable String prefix;

    @Option(names = "--all", description = "Every key of the manifest.")
    boolean all;
  }

  @Mixin JsonOption json = new JsonOption();

  @ArgGroup(multiplicity = "1")
  Target target = new Target();

  @Override
  int run(Mps3Client client, ObjectStore store) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out().flush();
                  stopped.countDown();
                },
                "mps3-watch-stop"));
    DocumentListener printer =
        new DocumentListener() {
          @Override
          public void onChange(DocumentChange change) {
            synchronized (Watch.this) {
              out().println(Json.change(change.key(), change.value().orElse(null)));
              out().flush();
            }
          }

          @Override
          public void onError(Mps3Exception error) {
            err().println("mps3 watch: " + error.getMessage() + " (still trying)");
            err().flush();
          }
        };
    Subscription subscription;
    if (target.key != null) {
      subscription = client.subscribe(target.key, printer);
    } else {
      String prefix = target.all || target.prefix == null ? "" : target.prefix;
      subscription = client.subscribePrefix(prefix, ReadOptions.defaults(), printer);
    }
    try (subscription) {
      stopped.await();
    }
    return 0;
  }
}
