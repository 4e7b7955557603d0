package io.mps3.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that tests start (a worker, the {@code mps3} command): this JVM's
 * {@code java} and class path, and options that make a short-lived JVM start cheaply.
 *
 * <p>The suite starts about a hundred such JVMs on a 2-core machine; most live a second or two,
 * where the C2 compiler and the parallel collector's threads cost more CPU than they save (measured
 * for {@code mps3 put}: 1.0 s of CPU by default, 0.65 s with these options). They change how fast
 * the child runs, never what it does.
 */
public final class JavaProcess {

  /** The options every child JVM gets: C1 only, the serial collector, no perf-data file. */
  public static final List<String> QUICK_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");

  private JavaProcess() {}

  /** {@code java <quick start> [jvmOptions] -cp <this class path> mainClass}; add its arguments. */
  public static List<String> command(Class<?> mainClass, String... jvmOptions) {
    return command(
        mainClass, System.getProperty("java.class.path"), List.of(), List.of(jvmOptions));
  }

  /** {@code java <quick start> [options] [more] -cp classPath mainClass}; add its arguments. */
  static List<String> command(
      Class<?> mainClass, String classPath, List<String> options, List<String> more) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(QUICK_START);
    command.addAll(options);
    command.addAll(more);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass.getName());
    return command;
  }
}
