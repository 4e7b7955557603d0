package io.mps3.bench;

import io.mps3.Mps3AsyncClient;
import io.mps3.Mps3Config;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The child process of {@link FootprintBenchmark}: one put on a new local directory, awaited, as
 * soon as the JVM starts. Runs with only the library's runtime classpath. Prints one line of epoch
 * milliseconds, {@code jvmStart=... mainStart=... acknowledged=...}; the JVM's start time is read
 * only after the put, so that loading the management classes is not counted.
 *
 * @since 0.1
 */
public final class FirstPut {

  private FirstPut() {}

  /** Makes the put and prints the times; no arguments. */
  public static void main(String[] args) throws IOException {
    long mainStart = System.currentTimeMillis();
    Path root = Files.createTempDirectory("mps3-first-put-");
    long acknowledged;
    try {
      Mps3Config config = Mps3Config.builder().localDirectory(root).bucket("first-put").build();
      try (Mps3AsyncClient client = Mps3AsyncClient.create(config)) {
        client.put("hello", Map.of("greeting", "world")).join();
        acknowledged = System.currentTimeMillis();
      }
    } finally {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println(
        "jvmStart=" + jvmStart + " mainStart=" + mainStart + " acknowledged=" + acknowledged);
  }
}
