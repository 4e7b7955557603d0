package io.mps3.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a report says about the machine it ran on: Java, operating system, CPU, memory and load,
 * read from system properties and, on Linux, from {@code /proc}. Anything unreadable is reported as
 * unknown, never fails.
 */
final class Machine {

  private Machine() {}

  /**
   * Prints a report's header lines: date, Java, operating system, CPU, memory, and the load average
   * before the run and now.
   */
  static void printHeader(PrintStream out, String date, String loadBefore) {
    out.println("- date: " + date);
    out.println("- java: " + java());
    out.println("- os: " + os());
    out.println("- cpu: " + cpu());
    out.println("- memory: " + memory());
    out.println("- load average (1, 5, 15 min): before " + loadBefore + "; after " + loadAverage());
  }

  /** The Java runtime: version, vendor and VM. */
  static String java() {
    return System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vendor")
        + ", "
        + System.getProperty("java.vm.name")
        + ")";
  }

  /** The operating system's name, version and architecture. */
  static String os() {
    return System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + " "
        + System.getProperty("os.arch");
  }

  /** The CPU model from {@code /proc/cpuinfo} and the processors this JVM may use. */
  static String cpu() {
    Optional<String> model =
        procField("/proc/cpuinfo", "model name").map(line -> line.split(":", 2)[1].trim());
    return model.orElse("unknown CPU")
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores available to the JVM";
  }

  /** Total memory from {@code /proc/meminfo}, in GiB. */
  static String memory() {
    return procField("/proc/meminfo", "MemTotal:")
        .map(line -> line.replaceAll("[^0-9]", ""))
        .filter(digits -> !digits.isEmpty())
        .map(kib -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(kib) / 1048576.0))
        .orElse("unknown");
  }

  /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}. */
  static String loadAverage() {
    try {
      String[] fields =
          Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
              .trim()
              .split(" ", -1);
      return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * CPU time this JVM has used so far, all threads, in nanoseconds; -1 where the platform does not
   * say.
   */
  static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private static Optional<String> procField(String file, String prefix) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      return lines.stream().filter(line -> line.startsWith(prefix)).findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
