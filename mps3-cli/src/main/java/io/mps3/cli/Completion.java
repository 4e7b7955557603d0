package io.mps3.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the shell completion script, generated from the commands' model by picocli. */
@Command(
    mixinStandardHelpOptions = true,
    name = "completion",
    description = {
      "Prints a bash and zsh completion script.",
      "The script (for zsh, through bashcompinit) completes"
          + " mps3's commands and options. Load it in the current shell, or save it where your"
          + " shell loads completions."
    },
    footer = {
      "",
      "Examples:",
      "  source <(mps3 completion)",
      "  mps3 completion > ~/.local/share/bash-completion/completions/mps3"
    })
final class Completion implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(AutoComplete.bash("mps3", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
