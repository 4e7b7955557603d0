package io.mps3.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mps3.spi.GetResult;
import io.mps3.spi.ObjectStore;
import io.mps3.store.ObjectStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several OS processes and threads share one local directory store: preconditions must hold across
 * them all, so no increment is lost and every key has exactly one creator.
 */
class LocalDirectoryMultiProcessTest {

  private static final int INCREMENTS = 100;
  private static final int SLOTS = 50;

  @TempDir Path dir;

  @Test
  void processesAndThreads_incrementingAndCreating_loseNothingAndNeverWinTwice() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (String name : List.of("process-a", "process-b")) {
      List<String> command = JavaProcess.command(LocalDirectoryWorker.class);
      command.addAll(
          List.of(dir.toString(), Integer.toString(INCREMENTS), Integer.toString(SLOTS), name));
      processes.add(
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    List<String> wins = Collections.synchronizedList(new ArrayList<>());
    try (ObjectStore store = ObjectStores.localDirectory(dir)) {
      List<Thread> threads = new ArrayList<>();
      for (String name : List.of("thread-a", "thread-b")) {
        Thread thread =
            new Thread(
                () ->
                    LocalDirectoryWorker.run(
                        store, INCREMENTS, SLOTS, name, line -> wins.add(name + " " + line)));
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.MINUTES.toMillis(2));
      }
      for (int i = 0; i < processes.size(); i++) {
        Process process = processes.get(i);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("worker %d finished", i).isTrue();
        assertThat(process.exitValue()).as("worker %d exit code", i).isZero();
        for (String line : output(process)) {
          wins.add("process-" + i + " " + line);
        }
      }

      GetResult counter = Futures.await(store.get("shared", "counter"));
      assertThat(new String(((GetResult.Found) counter).object().body(), StandardCharsets.UTF_8))
          .isEqualTo(Integer.toString(4 * INCREMENTS));

      Map<String, List<String>> winnersBySlot = new HashMap<>();
      for (String win : wins) {
        String[] parts = win.split(" ", -1);
        winnersBySlot.computeIfAbsent(parts[2], k -> new ArrayList<>()).add(parts[0]);
      }
      assertThat(winnersBySlot).hasSize(SLOTS);
      assertThat(winnersBySlot.values()).allSatisfy(w -> assertThat(w).hasSize(1));
    }
  }

  private static List<String> output(Process process) throws IOException {
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("won ")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
