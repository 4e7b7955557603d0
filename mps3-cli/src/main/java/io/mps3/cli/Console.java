package io.mps3.cli;

import io.mps3.spi.ObjectStore;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves a web page to browse and edit the bucket until interrupted. */
@Command(
    mixinStandardHelpOptions = true,
    name = "console",
    description = {
      "Serves a web page to browse and edit the bucket, until Ctrl-C.",
      "Prints one URL that holds a random token; every request without the token is refused"
          + " (403). The page lists the manifests the bucket holds (and the one --manifest names),"
          + " their keys, and each value as formatted JSON; it edits and deletes values through"
          + " the client (for a strict manifest a compare-and-set against the version shown: a"
          + " conflict is shown, never overwritten), follows a manifest's changes live, and runs"
          + " doctor's capability probe. Listens on 127.0.0.1 (this machine only) on a free port"
          + " unless told otherwise.",
      "--strict (or --protocol) is the protocol of the --manifest one; the manifests found in"
          + " the bucket are shown with their own."
    },
    footer = {
      "",
      "Exit code 0 once stopped; 2 when --port or --bind cannot be listened on; 3 when the store"
          + " fails at start (while it runs, the page shows the store's errors).",
      "",
      "Examples:",
      "  mps3 console",
      "  mps3 console --strict --manifest rooms/lobby.json --port 8080",
      "  mps3 console --endpoint http://localhost:9000 --bucket my-bucket"
    })
final class Console implements Callable<Integer> {

  /** How long Ctrl-C waits for the console to close its clients and the store. */
  private static final long STOP_SECONDS = 10;

  @Mixin StoreOptions options = new StoreOptions();

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The port to listen on (default: a free one, shown in the URL).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}, this machine only). Another"
              + " address lets other machines reach the console: anyone with the URL can then read"
              + " and write the bucket, and the URL travels unencrypted (HTTP).",
      defaultValue = "127.0.0.1")
  String bind = "127.0.0.1";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0 to 65535 (0: a free one), was " + port);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new UsageException("--bind " + bind + ": no such address");
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(STOP_SECONDS, TimeUnit.SECONDS); // the JVM ends when hooks return
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "mps3-console-stop");
    boolean interrupted = false;
    try (ObjectStore store = options.openStore();
        ConsoleClients clients = new ConsoleClients(options, store)) {
      clients.client(options.manifest, options.protocol()); // a store that fails, fails here
      ConsoleEvents events = new ConsoleEvents();
      ConsoleApi api = new ConsoleApi(options, store, clients, events);
      try (ConsoleServer server = ConsoleServer.start(new InetSocketAddress(address, port), api)) {
        announce(server, address);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          stop.await();
        } catch (InterruptedException e) {
          interrupted = true; // how a caller in the same JVM stops it
        } finally {
          events.close();
          removeHook(hook);
        }
      }
    } finally {
      stopped.countDown();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private void announce(ConsoleServer server, InetAddress address) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "mps3 console: "
            + options.where()
            + ", manifest "
            + Json.key(options.manifest)
            + " ("
            + options.protocolName()
            + "). Open this URL in a browser; Ctrl-C stops the console:");
    out.println(server.url());
    out.flush();
    if (!address.isLoopbackAddress()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "mps3 console: warning: listening on "
              + address.getHostAddress()
              + ", which other machines may reach: anyone with the URL can read and write the"
              + " bucket, and the URL travels unencrypted");
      err.flush();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is stopping (Ctrl-C): the hook is running and waits for the close
    }
  }
}
