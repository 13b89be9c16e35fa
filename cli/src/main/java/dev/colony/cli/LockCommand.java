package dev.colony.cli;

import dev.colony.proto.v1.ObjectInfo;
import dev.colony.proto.v1.ObjectType;
import dev.colony.proto.v1.Owner;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code colony lock info}: who holds a shared lock and who waits for it. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Inspects a shared lock (Lock or RLock) or semaphore without touching it.",
    footer = ExitCodes.FOOTER)
final class LockCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command: info");
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = {
        "Prints lock NAME's holders (client, host, pid, thread, session), the last fencing token"
            + " it granted and how many callers wait for it.",
        "Exits with 3 and prints nothing if there is no such lock."
      },
      footer = ExitCodes.FOOTER)
  int info(
      @Mixin CoordinatorOption coordinator,
      @Parameters(index = "0", paramLabel = "NAME", description = "The lock's name.") String name) {
    Optional<ObjectInfo> found =
        ObjectLookup.find(
            coordinator.connection(),
            name,
            ObjectType.LOCK,
            ObjectType.RLOCK,
            ObjectType.SEMAPHORE,
            ObjectType.BOUNDED_SEMAPHORE);
    if (found.isEmpty()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("no lock named '" + name + "'");
      err.flush();
      return ExitCodes.NOTHING;
    }
    ObjectInfo lock = found.get();
    PrintWriter out = spec.commandLine().getOut();
    out.println("name:           " + lock.getName());
    out.println("type:           " + Formats.type(lock.getType()) + " (" + lock.getDetail() + ")");
    if (lock.getHoldersCount() == 0) {
      out.println("held by:        nobody");
    }
    for (Owner holder : lock.getHoldersList()) {
      out.println(
          "held by:        " + Formats.owner(holder) + " session " + holder.getSessionLabel());
    }
    if (lock.getType() == ObjectType.SEMAPHORE || lock.getType() == ObjectType.BOUNDED_SEMAPHORE) {
      out.println("available:      " + lock.getSize() + " permits");
    }
    out.println("fencing token:  " + lock.getFencingToken());
    out.println("waiters:        " + lock.getWaiters());
    out.flush();
    return ExitCodes.OK;
  }
}
