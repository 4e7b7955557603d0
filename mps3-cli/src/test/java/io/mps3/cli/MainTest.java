package io.mps3.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;

/**
 * {@code mps3} as {@code main} runs it, in this JVM: each run sends the JVM's log to its own
 * standard error while it runs (the process's context), so no other test class may run beside it: a
 * warning another test logs meanwhile would land in this run's standard error (seen once: a
 * large-manifest warning of a concurrent import in the demo's output).
 */
@Isolated
class MainTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        CliContext.system());
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
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help.replaceAll("\\s+", " "))
        .contains("Exit codes: 0 success; 1 the command's \"no\" (get: the key is absent;")
        .contains("2 bad usage or input; 3 the store failed (unreachable,")
        .contains("runs with `mps3 gateway --config gateway.yaml`");
    assertThat(help)
        .startsWith("Usage: mps3")
        .contains("repair")
        .contains("mb ")
        .contains("completion ");
  }

  @Test
  void help_ofEveryCommand_wrapsAtTheWidth() {
    for (int width : List.of(60, 120)) {
      CommandLine cli = Main.commandLine(CliContext.system());
      cli.setUsageHelpAutoWidth(false); // the width under test, whatever terminal runs the test
      cli.setUsageHelpWidth(width);
      for (CommandLine command : everyCommand(cli)) {
        String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help.lines())
            .as("mps3 %s at %d columns", command.getCommandName(), width)
            .hasSizeGreaterThan(3)
            .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(width));
      }
    }
  }

  @Test
  void help_hasNoHardBreaksInsideParagraphs() {
    CommandLine cli = Main.commandLine(CliContext.system());
    cli.setUsageHelpAutoWidth(false);
    cli.setUsageHelpWidth(1000); // wide enough for any paragraph on one line
    for (CommandLine command : everyCommand(cli)) {
      if (command.getCommandName().equals("help")) {
        continue; // picocli's own
      }
      List<String> lines = command.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
      List<String> paragraphs = new ArrayList<>();
      paragraphs.addAll(List.of(command.getCommandSpec().usageMessage().description()));
      paragraphs.addAll(List.of(command.getCommandSpec().usageMessage().footer()));
      paragraphs.removeIf(String::isEmpty);
      assertThat(paragraphs).isNotEmpty();
      for (String paragraph : paragraphs) {
        assertThat(lines).as("mps3 %s", command.getCommandName()).contains(paragraph);
      }
    }
    cli.setUsageHelpWidth(200);
    assertThat(help(cli, "demo", CommandLine.Help.Ansi.OFF))
        .contains(
            "Three clients share a chat room through a local directory, with no server; each"
                + " prints what it sees, then the bucket's objects and what the store supports.");
    assertThat(help(cli, "put", CommandLine.Help.Ansi.OFF))
        .contains("so a first write to a new S3 server does not fail with NoSuchBucket.");
  }

  private static String help(CommandLine root, String command, CommandLine.Help.Ansi ansi) {
    return Objects.requireNonNull(root.getSubcommands().get(command), command)
        .getUsageMessage(ansi);
  }

  private static List<CommandLine> everyCommand(CommandLine root) {
    List<CommandLine> all = new ArrayList<>(List.of(root));
    all.addAll(root.getSubcommands().values());
    return all;
  }
}
