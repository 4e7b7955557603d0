package io.mps3.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code mps3} command. Exit codes: 0 success, 2 bad usage, 3 store error.
 *
 * <p>Only {@code demo} exists yet; the full command (put, get, watch, doctor, ...) lands with the
 * client.
 */
public final class Main {

  private static final String USAGE =
      "usage: mps3 demo [--dir DIR]\n"
          + "  demo   three clients share a chat room through the embedded default, a local\n"
          + "         directory (default ./mps3-data), with no server\n";

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
      (args.isEmpty() ? err : out).print(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    if (!args.get(0).equals("demo")) {
      err.println("mps3: unknown command '" + args.get(0) + "'");
      err.print(USAGE);
      return 2;
    }
    Path dir = Path.of("mps3-data");
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i).equals("--dir") && i + 1 < args.size()) {
        dir = Path.of(args.get(++i));
      } else {
        err.println("mps3 demo: unknown option '" + args.get(i) + "'");
        err.print(USAGE);
        return 2;
      }
    }
    try {
      new Demo(dir, out).run();
      return 0;
    } catch (RuntimeException e) {
      err.println("mps3 demo: " + e.getMessage());
      return 3;
    }
  }
}
