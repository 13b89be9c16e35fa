package dev.colony.cli;

import dev.colony.client.ColonyClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony cancel ID}: cancels a queued or running task, whoever submitted it. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Cancels task ID: a queued task never runs, a running one is interrupted on its worker."
    },
    footer = {
      "%nExit codes: 0 cancelled; 1 failed (the reason is on stderr); 2 bad command line;"
          + " 3 no unfinished task has that id (it finished, or is unknown)."
    })
final class CancelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Parameters(index = "0", paramLabel = "ID", description = "The task's id.")
  long id;

  @Override
  public Integer call() {
    boolean cancelled;
    try (ColonyClient colony = Connections.connect(coordinator.connection())) {
      cancelled = colony.cancelTask(id);
    }
    if (!cancelled) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no unfinished task " + id + " (it finished, or is unknown)");
      err.flush();
      return ExitCodes.NOTHING;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("cancelled task " + id);
    out.flush();
    return ExitCodes.OK;
  }
}
