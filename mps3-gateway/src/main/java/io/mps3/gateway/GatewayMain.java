package io.mps3.gateway;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a gateway from the command line: {@code GatewayMain --config gateway.yaml}. A bad config
 * ends it with status 2 and a message naming the line and the problem.
 *
 * @since 0.1
 */
public final class GatewayMain {

  private GatewayMain() {}

  /**
   * Runs the gateway until the process is stopped.
   *
   * @param args {@code --config <file>}
   * @throws InterruptedException when interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    PrintStream err = System.err;
    if (args.length != 2 || !args[0].equals("--config")) {
      err.println("usage: mps3 gateway --config gateway.yaml");
      System.exit(2);
      return;
    }
    Path config = Path.of(args[1]);
    if (!Files.isRegularFile(config)) {
      err.println("no gateway config at " + config);
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(config);
    } catch (GatewayConfigException e) {
      err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "mps3-gateway-stop"));
    System.out.println("mps3 gateway listening on " + gateway.endpoint());
    gateway.join();
  }
}
