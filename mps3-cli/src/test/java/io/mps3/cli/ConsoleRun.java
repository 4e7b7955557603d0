package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code mps3 console ...} running in this JVM through {@link Main#run}, as the command runs it; a
 * caller in the same JVM stops it by interrupting its thread (a user presses Ctrl-C).
 */
final class ConsoleRun implements AutoCloseable {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicInteger exit = new AtomicInteger(-1);
  private final Thread thread;
  private final URI url;

  private ConsoleRun(List<String> args) {
    PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
    thread =
        new Thread(
            () -> exit.set(Main.run(args, stdout, stderr, Cli.context(Path.of(""), Map.of()))),
            "mps3-console-test");
    thread.start();
    Eventually.eventually(
        Duration.ofSeconds(30),
        () -> {
          if (!thread.isAlive()) {
            throw new IllegalStateException(
                "mps3 console ended with " + exit.get() + " before printing its URL: " + err());
          }
          assertThat(out()).contains("\nhttp://");
        });
    String line = out().lines().filter(l -> l.startsWith("http://")).findFirst().orElseThrow();
    url = URI.create(line.strip());
  }

  /** Starts {@code mps3 console args...} and waits for its URL. */
  static ConsoleRun start(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("console"));
    all.addAll(List.of(args));
    return new ConsoleRun(all);
  }

  /** The URL it printed, with the token. */
  URI url() {
    return url;
  }

  /** The same address without the token: what a visitor who lacks it would open. */
  URI withoutToken() {
    return url.resolve("/");
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Stops it (interrupts it, as Ctrl-C does to the process) and returns its exit code. */
  int stop() throws InterruptedException {
    thread.interrupt();
    thread.join(Duration.ofSeconds(30).toMillis());
    assertThat(thread.isAlive()).as("the console stopped within 30 s").isFalse();
    return exit.get();
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }
}
