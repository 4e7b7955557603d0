package io.mps3.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.testkit.Eventually;
import io.mps3.testkit.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example as its README runs it: one listening process, two others saying something. */
class ChatExampleTest {

  @TempDir Path dir;

  @Test
  void aListener_printsWhatTwoOtherProcessesSay_inOrder() throws Exception {
    Path bucket = dir.resolve("data");
    Path heard = dir.resolve("listener.out");
    Process listener = start(heard, "listen", bucket.toString(), "lobby", "2");
    try {
      Eventually.eventually(
          Duration.ofSeconds(60), () -> assertThat(read(heard)).contains("listening to lobby"));

      assertThat(run("say", bucket.toString(), "lobby", "ada", "hello")).isZero();
      assertThat(run("say", bucket.toString(), "lobby", "bob", "hi, ada")).isZero();

      assertThat(listener.waitFor(60, TimeUnit.SECONDS)).as("the listener heard both").isTrue();
      assertThat(listener.exitValue()).isZero();
      assertThat(read(heard).lines().skip(1).toList())
          .containsExactly("ada: hello", "bob: hi, ada");
    } finally {
      listener.destroyForcibly();
    }
  }

  private Process start(Path out, String... args) throws IOException {
    List<String> command = JavaProcess.command(Chat.class);
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(dir.resolve(out.getFileName() + ".err").toFile())
        .start();
  }

  private int run(String... args) throws Exception {
    Process p = start(dir.resolve("say-" + System.nanoTime() + ".out"), args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("say ends").isTrue();
    return p.exitValue();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
