package dev.colony.cli;

import dev.colony.client.ColonyClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony delete NAME}: removes a shared object of any type. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Deletes shared object NAME, whatever its type, with its contents.",
      "Clients blocked on it (a queue take, a lock wait) fail with OBJECT_NOT_FOUND; the next use"
          + " of the name creates a new, empty object."
    },
    footer = ExitCodes.FOOTER)
final class DeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CoordinatorOption coordinator;

  @Parameters(index = "0", paramLabel = "NAME", description = "The object's name.")
  String name;

  @Override
  public Integer call() {
    boolean deleted;
    try (ColonyClient colony = Connections.connect(coordinator.connection())) {
      deleted = colony.delete(name);
    }
    if (!deleted) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no object named '" + name + "'");
      err.flush();
      return ExitCodes.NOTHING;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("deleted " + name);
    out.flush();
    return ExitCodes.OK;
  }
}
