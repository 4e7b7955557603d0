package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void demo_runsOnALocalDirectory_andEveryClientSeesEveryWrite() {
    assertThat(run("demo", "--dir", dir.toString())).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("every client saw every write");
    for (String name : List.of("alice", "bob", "carol")) {
      for (String key :
          List.of("chat/1", "chat/2", "chat/3", "counter/alice", "counter/bob", "counter/carol")) {
        assertThat(text).contains(String.format("%-5s sees %-10s =", name, key));
      }
    }
    assertThat(text)
        .contains("chat/2 = {\"from\":\"bob\",\"text\":\"hi alice!\"}")
        .contains("counter/carol = 3")
        .contains("requests to post one message:              3 (PUT 3)")
        .contains("requests of a poll when nothing changed:   1 (GET 1)")
        .contains("protocols:                     causal, strict");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void badUsage_exitsWithTwo_andSaysWhy() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("a command is missing");
    assertThat(run("dance")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Unmatched argument at index 0: 'dance'");
    assertThat(run("demo", "--fast")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--fast'");
  }

  @Test
  void help_printsUsage_andSucceeds() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("Usage: mps3")
        .contains("Exit codes: 0 success, 1 missing key (get), or objects found that no client")
        .contains("(doctor --manifest, repair), 2 bad usage or input, 3 store error.")
        .contains("repair");
  }
}
