package io.mps3.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's footprint: the size of the {@code mps3} jar, the jars of its runtime dependency
 * closure, and the time from starting a JVM to its first acknowledged put on a local directory.
 *
 * <p>The closure is read from a classpath file (property {@code mps3.bench.libraryClasspath},
 * default {@code mps3-bench/target/mps3-runtime-classpath.txt}) that {@code mps3-bench/run.sh}
 * writes with {@code mvn dependency:build-classpath -pl mps3 -DincludeScope=runtime}; the jar is
 * {@code mps3/target/mps3-<version>.jar} (property {@code mps3.bench.libraryJar}). Paths are
 * relative to the working directory, which {@code run.sh} sets to the repository root.
 *
 * <p>The start-up time is measured {@code mps3.bench.runs} times (default 5) by a child {@code
 * java} running {@link FirstPut} with the library jar, its runtime dependencies and the class
 * itself on the classpath, nothing else, and default JVM options.
 *
 * @since 0.1
 */
public final class FootprintBenchmark {

  private static final Pattern CHILD_LINE =
      Pattern.compile("jvmStart=(\\d+) mainStart=(\\d+) acknowledged=(\\d+)");

  /**
   * One start of the child, in milliseconds.
   *
   * @param jvmToMain from the JVM's recorded start to the first line of {@code main}
   * @param mainToAck from the first line of {@code main} to the put's acknowledgement
   * @param jvmToAck from the JVM's recorded start to the put's acknowledgement
   * @param spawnToAck from just before {@code ProcessBuilder.start()} to the acknowledgement
   * @param spawnToExit from just before {@code ProcessBuilder.start()} to the child's exit
   */
  private record Run(
      long jvmToMain, long mainToAck, long jvmToAck, long spawnToAck, long spawnToExit) {}

  private FootprintBenchmark() {}

  /** Runs the benchmark; see the class documentation for its properties. */
  public static void main(String[] args) throws Exception {
    Path jar = libraryJar();
    Path classpathFile =
        Path.of(
            System.getProperty(
                "mps3.bench.libraryClasspath", "mps3-bench/target/mps3-runtime-classpath.txt"));
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(
          classpathFile + " is missing: run mps3-bench/run.sh FootprintBenchmark, which writes it");
    }
    List<Path> dependencies = new ArrayList<>();
    for (String entry : Files.readString(classpathFile).trim().split(File.pathSeparator, -1)) {
      if (!entry.isBlank()) {
        dependencies.add(Path.of(entry));
      }
    }
    int runs = StoreFloorBenchmark.atLeast(1, System.getProperty("mps3.bench.runs", "5"), "runs");

    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String loadBefore = Machine.loadAverage();
    List<Run> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      System.err.printf(Locale.ROOT, "[bench] first put, run %d of %d ...%n", i + 1, runs);
      results.add(firstPut(jar, dependencies));
    }

    PrintStream out = System.out;
    out.println("## Footprint");
    out.println();
    Machine.printHeader(out, date, loadBefore);
    out.println("- library jar: " + jar);
    out.println(
        "- runtime closure: "
            + classpathFile
            + " (mvn dependency:build-classpath -pl mps3 -DincludeScope=runtime)");
    out.println();
    out.println("| artifact | bytes | KiB |");
    out.println("| --- | ---: | ---: |");
    long jarBytes = Files.size(jar);
    out.println(sizeRow("**" + jar.getFileName() + "** (the library)", jarBytes));
    long dependencyBytes = 0;
    for (Path dependency : dependencies) {
      long bytes = Files.size(dependency);
      dependencyBytes += bytes;
      out.println(sizeRow(dependency.getFileName().toString(), bytes));
    }
    out.println(
        sizeRow("**runtime dependencies, " + dependencies.size() + " jars**", dependencyBytes));
    out.println(sizeRow("**library and dependencies**", jarBytes + dependencyBytes));
    out.println();
    out.printf(
        Locale.ROOT,
        "Start-up to the first acknowledged put (local directory), %d child JVMs, ms:%n%n",
        runs);
    out.println(
        "| run | JVM start to main | main to put acknowledged | JVM start to put acknowledged"
            + " | spawn to put acknowledged | spawn to exit |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (int i = 0; i < results.size(); i++) {
      out.println(runRow(Integer.toString(i + 1), results.get(i)));
    }
    out.println(runRow("**median**", summary(results, true)));
    out.println(runRow("**min**", summary(results, false)));
  }

  /** Starts one child, waits for it, and reads its times. */
  private static Run firstPut(Path jar, List<Path> dependencies)
      throws IOException, InterruptedException, URISyntaxException {
    List<String> classpath = new ArrayList<>();
    classpath.add(jar.toString());
    dependencies.forEach(d -> classpath.add(d.toString()));
    classpath.add(
        Path.of(FirstPut.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java, "-cp", String.join(File.pathSeparator, classpath), FirstPut.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    long spawnMillis = System.currentTimeMillis();
    long spawnNanos = System.nanoTime();
    Process child = builder.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = child.waitFor();
    long spawnToExit = (System.nanoTime() - spawnNanos) / 1_000_000;
    Matcher m = CHILD_LINE.matcher(output);
    if (exit != 0 || !m.find()) {
      throw new IllegalStateException("the child failed (exit " + exit + "): " + output);
    }
    long jvmStart = Long.parseLong(m.group(1));
    long mainStart = Long.parseLong(m.group(2));
    long acknowledged = Long.parseLong(m.group(3));
    return new Run(
        mainStart - jvmStart,
        acknowledged - mainStart,
        acknowledged - jvmStart,
        acknowledged - spawnMillis,
        spawnToExit);
  }

  /** The median (lower middle, nearest rank) or the minimum of each column. */
  private static Run summary(List<Run> runs, boolean median) {
    return new Run(
        pick(runs, Run::jvmToMain, median),
        pick(runs, Run::mainToAck, median),
        pick(runs, Run::jvmToAck, median),
        pick(runs, Run::spawnToAck, median),
        pick(runs, Run::spawnToExit, median));
  }

  private static long pick(List<Run> runs, ToLongFunction<Run> column, boolean median) {
    long[] values = runs.stream().mapToLong(column).toArray();
    Arrays.sort(values);
    return median ? values[(values.length - 1) / 2] : values[0];
  }

  private static String runRow(String label, Run run) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %d | %d | %d |",
        label,
        run.jvmToMain(),
        run.mainToAck(),
        run.jvmToAck(),
        run.spawnToAck(),
        run.spawnToExit());
  }

  private static String sizeRow(String name, long bytes) {
    return String.format(Locale.ROOT, "| %s | %d | %.1f |", name, bytes, bytes / 1024.0);
  }

  /** The library jar: the property, else the one {@code mps3-*.jar} in {@code mps3/target}. */
  private static Path libraryJar() throws IOException {
    String configured = System.getProperty("mps3.bench.libraryJar");
    if (configured != null) {
      return Path.of(configured);
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> candidates =
        Files.newDirectoryStream(Path.of("mps3", "target"), "mps3-*.jar")) {
      for (Path candidate : candidates) {
        String name = candidate.getFileName().toString();
        if (!name.endsWith("-sources.jar")
            && !name.endsWith("-javadoc.jar")
            && !name.endsWith("-tests.jar")) {
          jars.add(candidate);
        }
      }
    }
    if (jars.size() != 1) {
      throw new IllegalStateException(
          "expected one library jar in mps3/target, found " + jars + "; set mps3.bench.libraryJar");
    }
    return jars.get(0);
  }
}
